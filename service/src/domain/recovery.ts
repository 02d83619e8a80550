import { ApiError } from "@keyservice/sdk";
import type { Keyring } from "../crypto/keyring";
import type { Tx } from "../db/writer";
import { rotateApiKey, type ApiKeyKind } from "./api-keys";
import type { OrgCaller } from "./caller";
import { getDeployment } from "./deployments";
import { getLlmKey } from "./llm-keys";
import { rotateMemberToken } from "./members";

/**
 * Recovering a create whose answer was lost, after its record's 24 h: the same caller sends the same
 * request with the same Idempotency-Key, and the row that create made (by id) still exists. The
 * answer is the create's own, made again from that row: the same id and, for a key or a member, a
 * new secret (the one minted then is revoked at once: no one ever received it, since the secret
 * was only ever in the lost answer and in the record, whose copy was deleted after 24 h).
 * `undefined`: the row is gone, and the request runs anew.
 */
export type Recover = (tx: Tx, keyring: Keyring, orgId: string, caller: OrgCaller, targetId: string) => Promise<unknown>;

/** The row's recovered answer, or `undefined` when the row no longer exists. */
async function unlessGone<T>(answer: Promise<T>): Promise<T | undefined> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof ApiError && err.code === "not_found") return undefined;
    throw err;
  }
}

const apiKey =
  (kind: ApiKeyKind): Recover =>
  (tx, _keyring, orgId, caller, id) =>
    unlessGone(rotateApiKey(tx, orgId, caller, kind, id, 0));

/** Recoverable creates, by the audit action of their route: those the Pulumi provider makes. */
const RECOVERY_RULES: Readonly<Record<string, Recover>> = {
  "global_api_key.create": apiKey("global"),
  "platform_api_key.create": apiKey("platform"),
  "member.create": (tx, _keyring, orgId, caller, id) => unlessGone(rotateMemberToken(tx, orgId, caller, id, 0)),
  "deployment.create": (tx, _keyring, orgId, _caller, id) => unlessGone(getDeployment(tx.db, orgId, id)),
  "llm_key.create": (tx, keyring, orgId, _caller, id) => unlessGone(getLlmKey(tx.db, keyring, orgId, id)),
};

/** How a route's create is recovered after 24 h, if it can be. */
export function recoveryRule(action: string): Recover | undefined {
  return Object.hasOwn(RECOVERY_RULES, action) ? RECOVERY_RULES[action] : undefined;
}
