import { digestToken } from "../crypto/tokens";
import type { Db } from "../db/writer";
import type { IdempotencyRecordRow } from "../db/tables/idempotency-records.table";
import { newId } from "../crypto/ids";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** A caller's record for a key, if one is younger than 24 h. */
export async function findIdempotencyRecord(db: Db, orgId: string, ownerId: string, key: string, now = Date.now()): Promise<IdempotencyRecordRow | undefined> {
  return db
    .selectFrom("idempotencyRecords")
    .selectAll()
    .where("orgId", "=", orgId)
    .where("ownerId", "=", ownerId)
    .where("idempotencyKey", "=", key)
    .where("createdAt", ">=", now - IDEMPOTENCY_TTL_MS)
    .executeTakeFirst();
}

/**
 * Claims a key inside the write's transaction. A concurrent twin's claim (on any instance) waits
 * on the unique constraint until this transaction ends, then fails: it replays what committed.
 */
export async function claimIdempotencyKey(db: Db, orgId: string, ownerId: string, key: string, fingerprint: string, now = Date.now()): Promise<string> {
  // An expired record of the same key would block the claim: it has no more meaning.
  await db
    .deleteFrom("idempotencyRecords")
    .where("orgId", "=", orgId)
    .where("ownerId", "=", ownerId)
    .where("idempotencyKey", "=", key)
    .where("createdAt", "<", now - IDEMPOTENCY_TTL_MS)
    .execute();
  const id = newId(now);
  await db.insertInto("idempotencyRecords").values({ id, orgId, ownerId, idempotencyKey: key, fingerprint, status: 0, sealedResponse: "", createdAt: now }).execute();
  return id;
}

/** Stores the response of a claimed key, sealed, before the transaction commits. */
export async function sealIdempotencyRecord(db: Db, id: string, status: number, sealedResponse: string): Promise<void> {
  await db.updateTable("idempotencyRecords").set({ status, sealedResponse }).where("id", "=", id).execute();
}

/** Forgets a record whose response may no longer be replayed (its secret stopped being the current one). */
export async function deleteIdempotencyRecord(db: Db, id: string): Promise<void> {
  await db.deleteFrom("idempotencyRecords").where("id", "=", id).execute();
}

/**
 * Whether a replayed response still hands out a working secret: the secret it carries is the
 * current one of its key (not deleted, not rotated out since). Responses without a secret are current.
 */
export async function responseStillCurrent(db: Db, body: unknown): Promise<boolean> {
  const secret = (body as { key?: unknown; token?: unknown } | null)?.key ?? (body as { token?: unknown } | null)?.token;
  if (typeof secret !== "string") return true;
  const row = await db.selectFrom("credentials").select("expiresAt").where("digest", "=", digestToken(secret)).executeTakeFirst();
  return row !== undefined && row.expiresAt === null;
}

/** Deletes records older than 24 h (and the secrets sealed in them). */
export async function purgeIdempotencyRecords(db: Db, now = Date.now()): Promise<void> {
  await db.deleteFrom("idempotencyRecords").where("createdAt", "<", now - IDEMPOTENCY_TTL_MS).execute();
}

/** The associated data a record's response is sealed with (reencrypt re-seals with it too). */
export function idempotencyAssociatedData(orgId: string, recordId: string): string {
  return `idempotency:${orgId}:${recordId}`;
}
