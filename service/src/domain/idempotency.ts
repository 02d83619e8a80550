import { digestToken } from "../crypto/tokens";
import type { Db } from "../db/writer";
import type { IdempotencyRecordRow } from "../db/tables/idempotency-records.table";
import { newId } from "../crypto/ids";
import type { Keyring } from "../crypto/keyring";
import { RECOVERABLE_TABLES } from "./recovery";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A caller's record for a key, whatever its age: see `isLive` and `isRecoverable`. */
export async function findIdempotencyRecord(db: Db, orgId: string, ownerId: string, key: string): Promise<IdempotencyRecordRow | undefined> {
  return db.selectFrom("idempotencyRecords").selectAll().where("orgId", "=", orgId).where("ownerId", "=", ownerId).where("idempotencyKey", "=", key).executeTakeFirst();
}

/** A record younger than 24 h, holding the answer it replays. */
export function isLive(record: IdempotencyRecordRow, now = Date.now()): boolean {
  return Number(record.createdAt) >= now - IDEMPOTENCY_TTL_MS && record.sealedResponse !== "";
}

/** A create's record past its 24 h: it names the row it made, which may be recovered (domain/recovery.ts). */
export function isRecoverable(record: IdempotencyRecordRow, now = Date.now()): record is IdempotencyRecordRow & { targetId: string } {
  return record.targetId !== null && !isLive(record, now);
}

/**
 * Takes a recoverable record for the request recovering it, in that request's transaction: false
 * when a twin (on any instance) took it first; the twin's answer is then replayed.
 */
export async function takeRecoverableRecord(db: Db, record: IdempotencyRecordRow, now = Date.now()): Promise<boolean> {
  const taken = await db.updateTable("idempotencyRecords").set({ createdAt: now }).where("id", "=", record.id).where("createdAt", "=", record.createdAt).executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/**
 * Claims a key inside the write's transaction. A concurrent twin's claim (on any instance) waits
 * on the unique constraint until this transaction ends, then fails: it replays what committed.
 */
export async function claimIdempotencyKey(db: Db, orgId: string, ownerId: string, key: string, now = Date.now()): Promise<string> {
  // An expired record of the same key would block the claim: it has no more meaning (one that could be recovered was tried first).
  await db
    .deleteFrom("idempotencyRecords")
    .where("orgId", "=", orgId)
    .where("ownerId", "=", ownerId)
    .where("idempotencyKey", "=", key)
    .where("createdAt", "<", now - IDEMPOTENCY_TTL_MS)
    .execute();
  const id = newId(now);
  // The fingerprint is written, sealed, with the response (sealIdempotencyRecord), in this same transaction.
  await db.insertInto("idempotencyRecords").values({ id, orgId, ownerId, idempotencyKey: key, fingerprint: "", status: 0, sealedResponse: "", createdAt: now }).execute();
  return id;
}

/**
 * A record written before fingerprints were sealed: the request's digest in plain (64 hex
 * characters). A request's body may hold a secret (an LLM key's), and a plain digest kept 24 h
 * would let whoever reads the database test guesses of a weak one offline; such records expire
 * within 24 h of the upgrade.
 */
const PLAIN_FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * Stores the response of a claimed key and its request's fingerprint, each sealed, before the
 * transaction commits. The response is sealed as it always was, so an instance of the previous
 * version (a rolling deploy, a rollback) still opens it, finds the sealed fingerprint unequal to
 * its request's digest and refuses with a 422: it never takes the record for a fallen one and
 * runs the request again. Reencrypt re-seals both.
 */
export async function sealIdempotencyRecord(db: Db, keyring: Keyring, orgId: string, id: string, status: number, fingerprint: string, body: unknown, recoverable: boolean): Promise<void> {
  const sealedResponse = keyring.seal(JSON.stringify(body), idempotencyAssociatedData(orgId, id));
  const sealedFingerprint = keyring.seal(fingerprint, idempotencyFingerprintAssociatedData(orgId, id));
  const target = (body as { id?: unknown } | null)?.id;
  const targetId = recoverable && typeof target === "string" ? target : null;
  await db.updateTable("idempotencyRecords").set({ status, sealedResponse, fingerprint: sealedFingerprint, targetId }).where("id", "=", id).execute();
}

/** Opens a live record: the fingerprint of its request and the body it replays. */
export function openIdempotencyRecord(keyring: Keyring, record: IdempotencyRecordRow): { fingerprint: string; body: unknown } {
  const body = JSON.parse(keyring.open(record.sealedResponse, idempotencyAssociatedData(record.orgId, record.id))) as unknown;
  return { fingerprint: openFingerprint(keyring, record), body };
}

/** The fingerprint of a record's request (a recoverable record keeps it after its answer is gone). */
export function openFingerprint(keyring: Keyring, record: IdempotencyRecordRow): string {
  return PLAIN_FINGERPRINT.test(record.fingerprint) ? record.fingerprint : keyring.open(record.fingerprint, idempotencyFingerprintAssociatedData(record.orgId, record.id));
}

/** Forgets a record whose response may no longer be replayed (what it answered no longer stands). */
export async function deleteIdempotencyRecord(db: Db, id: string): Promise<void> {
  await db.deleteFrom("idempotencyRecords").where("id", "=", id).execute();
}

/**
 * Whether a stored response may still be replayed: what it answered still stands. A response
 * that stopped standing is forgotten and its request runs anew (a replay never hands out a dead
 * secret, nor the id of a deleted row).
 */
export type StillStands = (db: Db, orgId: string, body: unknown) => Promise<boolean>;

/** A response carrying a secret stands while that secret is its credential's current one (not deleted, not rotated out since). */
const secretIsCurrent: StillStands = async (db, _orgId, body) => {
  const { key, token } = (body ?? {}) as { key?: unknown; token?: unknown };
  const secret = key ?? token;
  if (typeof secret !== "string") return false;
  const row = await db.selectFrom("credentials").select("expiresAt").where("digest", "=", digestToken(secret)).executeTakeFirst();
  return row !== undefined && row.expiresAt === null;
};

/** A response without a secret stands while the row it names (by `id`) is still in the org's table. */
function rowExists(table: "deployments" | "llmKeys"): StillStands {
  return async (db, orgId, body) => {
    const id = (body as { id?: unknown } | null)?.id;
    if (typeof id !== "string") return false;
    return (await db.selectFrom(table).select("id").where("orgId", "=", orgId).where("id", "=", id).executeTakeFirst()) !== undefined;
  };
}

/** When a replay still stands, by the audit action of each idempotent route; `defineRoute` refuses an idempotent route missing here. */
const REPLAY_RULES: Readonly<Record<string, StillStands>> = {
  "member.create": secretIsCurrent,
  "member.rotate_token": secretIsCurrent,
  "deployment.create": rowExists("deployments"),
  "deployment_key.create": secretIsCurrent,
  "global_api_key.create": secretIsCurrent,
  "global_api_key.rotate": secretIsCurrent,
  "platform_api_key.create": secretIsCurrent,
  "platform_api_key.rotate": secretIsCurrent,
  "llm_key.create": rowExists("llmKeys"),
};

/** The rule for the replays of an idempotent route's audit action, if one is written. */
export function replayRule(action: string): StillStands | undefined {
  return Object.hasOwn(REPLAY_RULES, action) ? REPLAY_RULES[action] : undefined;
}

/**
 * Records past their 24 h: the answers sealed in them (secrets among them) are deleted; a create's
 * record keeps the id of the row it made, and its request's fingerprint, for as long as that row
 * exists, so that the create can be recovered by its caller (domain/recovery.ts).
 */
export async function purgeIdempotencyRecords(db: Db, now = Date.now()): Promise<void> {
  const expired = now - IDEMPOTENCY_TTL_MS;
  await db.deleteFrom("idempotencyRecords").where("createdAt", "<", expired).where("targetId", "is", null).execute();
  await db.updateTable("idempotencyRecords").set({ sealedResponse: "" }).where("createdAt", "<", expired).where("sealedResponse", "!=", "").execute();
  // Kept records that can never be recovered: their row is gone, or their caller (a member or a platform key) is.
  await db
    .deleteFrom("idempotencyRecords")
    .where("createdAt", "<", expired)
    .where("targetId", "is not", null)
    .where(({ or, and, not, exists, selectFrom }) =>
      or([
        and(RECOVERABLE_TABLES.map((table) => not(exists(selectFrom(table).select("id").whereRef(`${table}.id`, "=", "idempotencyRecords.targetId"))))),
        and((["users", "apiKeys"] as const).map((table) => not(exists(selectFrom(table).select("id").whereRef(`${table}.id`, "=", "idempotencyRecords.ownerId"))))),
      ]),
    )
    .execute();
}

/** The associated data a record's response is sealed with (reencrypt re-seals with it too). */
export function idempotencyAssociatedData(orgId: string, recordId: string): string {
  return `idempotency:${orgId}:${recordId}`;
}

/** The associated data a record's fingerprint is sealed with: its own, so neither sealed value passes for the other. */
export function idempotencyFingerprintAssociatedData(orgId: string, recordId: string): string {
  return `idempotency-fingerprint:${orgId}:${recordId}`;
}
