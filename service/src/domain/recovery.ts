import type { Keyring } from "../crypto/keyring";
import type { Db, Tx } from "../db/writer";
import { rotateApiKey, type ApiKeyKind } from "./api-keys";
import type { OrgCaller } from "./caller";
import { getDeployment } from "./deployments";
import { getLlmKey } from "./llm-keys";
import { rotateMemberToken } from "./members";

/**
 * Recovering a create whose answer was lost, after its record's 24 h: the same caller sends the same
 * request with the same Idempotency-Key, and the row that create made (by id) is still exactly as
 * the create left it. The answer is the create's own, made again from that row: the same id and,
 * for a key or a member, a new secret, the one minted then revoked at once. That secret was only
 * ever in the lost answer and in the record (whose copy was deleted after 24 h), and a row whose
 * secret was ever used or replaced since is not recovered: its request runs anew (a 409 on the
 * taken name, as without recovery), so recovery never revokes a secret someone holds.
 */
export interface Recovery {
  /** The row exists in the org, and its secret was neither used nor replaced since the create. */
  untouched(db: Db, orgId: string, id: string): Promise<boolean>;
  /** The create's answer, made again from the row (inside the recovering request's transaction). */
  answer(tx: Tx, keyring: Keyring, orgId: string, caller: OrgCaller, id: string): Promise<unknown>;
}

const apiKey = (kind: ApiKeyKind): Recovery => ({
  untouched: async (db, orgId, id) =>
    (await db.selectFrom("apiKeys").select("id").where("id", "=", id).where("orgId", "=", orgId).where("kind", "=", kind).where("version", "=", 1).where("lastUsedAt", "is", null).executeTakeFirst()) !== undefined,
  answer: (tx, _keyring, orgId, caller, id) => rotateApiKey(tx, orgId, caller, kind, id, 0),
});

const member: Recovery = {
  // Never rotated: no credential of it was issued after it (a rotation's always is: domain/members.ts).
  untouched: async (db, orgId, id) =>
    (await db
      .selectFrom("users")
      .select("id")
      .where("id", "=", id)
      .where("orgId", "=", orgId)
      .where("lastUsedAt", "is", null)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("credentials").select("digest").where("ownerId", "=", id).whereRef("credentials.createdAt", ">", "users.createdAt"))))
      .executeTakeFirst()) !== undefined,
  answer: (tx, _keyring, orgId, caller, id) => rotateMemberToken(tx, orgId, caller, id, 0),
};

const deployment: Recovery = {
  untouched: async (db, orgId, id) => (await db.selectFrom("deployments").select("id").where("id", "=", id).where("orgId", "=", orgId).executeTakeFirst()) !== undefined,
  answer: (tx, _keyring, orgId, _caller, id) => getDeployment(tx.db, orgId, id),
};

const llmKey: Recovery = {
  // Its secret is the create's own (sent again in the request): not replaced since.
  untouched: async (db, orgId, id) => (await db.selectFrom("llmKeys").select("id").where("id", "=", id).where("orgId", "=", orgId).where("version", "=", 1).executeTakeFirst()) !== undefined,
  answer: (tx, keyring, orgId, _caller, id) => getLlmKey(tx.db, keyring, orgId, id),
};

/** Recoverable creates, by the audit action of their route: those the Pulumi provider makes. */
const RECOVERY_RULES: Readonly<Record<string, Recovery>> = {
  "global_api_key.create": apiKey("global"),
  "platform_api_key.create": apiKey("platform"),
  "member.create": member,
  "deployment.create": deployment,
  "llm_key.create": llmKey,
};

/** The tables of the rows the rules above recover: a kept record naming a row in none of them is purged. Keep it in step with RECOVERY_RULES. */
export const RECOVERABLE_TABLES = ["apiKeys", "users", "deployments", "llmKeys"] as const;

/** How a route's create is recovered after 24 h, if it can be. */
export function recoveryRule(action: string): Recovery | undefined {
  return Object.hasOwn(RECOVERY_RULES, action) ? RECOVERY_RULES[action] : undefined;
}
