import { createHash } from "node:crypto";
import { ApiError } from "@keyservice/sdk";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { isUniqueViolation } from "../db/errors";
import type { Tx } from "../db/writer";
import { writeAudit } from "../domain/audit";
import type { Caller } from "../domain/caller";
import {
  claimIdempotencyKey,
  deleteIdempotencyRecord,
  findIdempotencyRecord,
  idempotencyAssociatedData,
  responseStillCurrent,
  sealIdempotencyRecord,
} from "../domain/idempotency";

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** A twin request (same caller, same key) committed first: replay it. */
class ClaimTaken extends Error {}

function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const header = req.headers["idempotency-key"];
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 255) {
    throw new ApiError("validation_failed", "The Idempotency-Key header must be 1 to 255 characters.", [{ path: "Idempotency-Key", message: "must be 1 to 255 characters" }]);
  }
  return key;
}

function fingerprintOf(req: FastifyRequest): string {
  return createHash("sha256").update(`${req.method} ${req.url.split("?")[0]}\n${JSON.stringify(req.body ?? {})}`).digest("hex");
}

/**
 * Runs a create or rotate at most once per caller and `Idempotency-Key` (24 h). The record is
 * claimed, and the response sealed into it, in the transaction of the change itself: it exists
 * exactly when the change committed, on every instance. A replay is audited as
 * `<action>.replayed`, and only hands out a secret that is still its key's current one; a
 * response whose key was deleted or rotated since is forgotten and the request runs anew.
 */
export async function withIdempotency(
  app: FastifyInstance,
  req: FastifyRequest,
  orgId: string,
  caller: Caller,
  action: string,
  run: (tx: Tx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const key = idempotencyKeyOf(req);
  if (key === undefined) return { ...(await app.writer.run(run)), replayed: false };
  const fingerprint = fingerprintOf(req);
  for (let attempt = 0; attempt < 3; attempt++) {
    const record = await findIdempotencyRecord(app.db, orgId, caller.id, key);
    if (record) {
      if (record.fingerprint !== fingerprint) {
        throw new ApiError("validation_failed", "This Idempotency-Key was already used with another request; use a new key.", [
          { path: "Idempotency-Key", message: "was already used with a different method, path or body" },
        ]);
      }
      const body = JSON.parse(app.keyring.open(record.sealedResponse, idempotencyAssociatedData(orgId, record.id))) as { id?: string };
      if (await responseStillCurrent(app.db, body)) {
        await app.writer.run((tx) => writeAudit(tx.db, orgId, caller, { action: `${action}.replayed`, target: body.id ?? null }));
        return { status: Number(record.status), body, replayed: true };
      }
      await deleteIdempotencyRecord(app.db, record.id);
    }
    try {
      return await app.writer.run(async (tx) => {
        let recordId: string;
        try {
          recordId = await claimIdempotencyKey(tx.db, orgId, caller.id, key, fingerprint);
        } catch (err) {
          if (isUniqueViolation(err)) throw new ClaimTaken();
          throw err;
        }
        const response = await run(tx);
        await sealIdempotencyRecord(tx.db, recordId, response.status, app.keyring.seal(JSON.stringify(response.body), idempotencyAssociatedData(orgId, recordId)));
        return { ...response, replayed: false };
      });
    } catch (err) {
      if (!(err instanceof ClaimTaken)) throw err;
    }
  }
  throw new ApiError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.");
}
