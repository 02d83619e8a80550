import { createHash } from "node:crypto";
import { ApiError } from "@keyservice/sdk";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { newId } from "../crypto/ids";
import { isUniqueViolation } from "../db/connect";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Runs a create or rotate at most once per `Idempotency-Key` (per org, 24 h). The first request
 * claims the key with a pending row (a unique constraint, so concurrent twins and other instances
 * see it); its response is sealed with the master key, since it holds the new secret.
 */
export async function withIdempotency(
  app: FastifyInstance,
  req: FastifyRequest,
  orgId: string,
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const header = req.headers["idempotency-key"];
  if (header === undefined) return { ...(await run()), replayed: false };
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 255) {
    throw new ApiError("validation_failed", "The Idempotency-Key header must be 1 to 255 characters.", [
      { path: "Idempotency-Key", message: "must be 1 to 255 characters" },
    ]);
  }
  const fingerprint = createHash("sha256")
    .update(`${req.method} ${req.url.split("?")[0]}\n${JSON.stringify(req.body ?? {})}`)
    .digest("hex");
  const id = newId();
  const now = Date.now();
  await app.store.deleteFrom("idempotencyRecords").where("orgId", "=", orgId).where("idempotencyKey", "=", key).where("createdAt", "<", now - IDEMPOTENCY_TTL_MS).execute();
  try {
    await app.store.insertInto("idempotencyRecords").values({ id, orgId, idempotencyKey: key, fingerprint, status: null, sealedResponse: null, createdAt: now }).execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return { ...(await replay(app, orgId, key, fingerprint)), replayed: true };
  }
  let response: StoredResponse;
  try {
    response = await run();
  } catch (err) {
    // A failed first attempt leaves nothing behind, so the client can retry with the same key.
    await app.store.deleteFrom("idempotencyRecords").where("id", "=", id).execute();
    throw err;
  }
  const sealed = app.keyring.seal(JSON.stringify(response.body), idempotencyAssociatedData(orgId, id));
  await app.store.updateTable("idempotencyRecords").set({ status: response.status, sealedResponse: sealed }).where("id", "=", id).execute();
  return { ...response, replayed: false };
}

async function replay(app: FastifyInstance, orgId: string, key: string, fingerprint: string): Promise<StoredResponse> {
  const row = await app.store.selectFrom("idempotencyRecords").selectAll().where("orgId", "=", orgId).where("idempotencyKey", "=", key).executeTakeFirst();
  if (!row) throw new ApiError("conflict", "A request with this Idempotency-Key just finished failing; retry.");
  if (row.fingerprint !== fingerprint) {
    throw new ApiError("validation_failed", "This Idempotency-Key was already used with another request; use a new key.", [
      { path: "Idempotency-Key", message: "was already used with a different method, path or body" },
    ]);
  }
  if (row.status === null || row.sealedResponse === null) {
    throw new ApiError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.");
  }
  return { status: Number(row.status), body: JSON.parse(app.keyring.open(row.sealedResponse, idempotencyAssociatedData(orgId, row.id))) };
}

/** The associated data a replay record's response is sealed with (reencrypt re-seals with it too). */
export function idempotencyAssociatedData(orgId: string, recordId: string): string {
  return `idempotency:${orgId}:${recordId}`;
}

/** Deletes replay records older than 24 h (and the secrets sealed in them). */
export async function purgeIdempotencyRecords(app: FastifyInstance, now = Date.now()): Promise<void> {
  await app.store.deleteFrom("idempotencyRecords").where("createdAt", "<", now - IDEMPOTENCY_TTL_MS).execute();
}
