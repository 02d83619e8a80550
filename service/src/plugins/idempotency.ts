import { createHash } from "node:crypto";
import { ApiError } from "@keyservice/sdk";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { isUniqueViolation } from "../db/errors";
import type { Tx } from "../db/writer";
import { writeAudit } from "../domain/audit";
import type { OrgCaller } from "../domain/caller";
import {
  claimIdempotencyKey,
  deleteIdempotencyRecord,
  findIdempotencyRecord,
  isLive,
  isRecoverable,
  openFingerprint,
  openIdempotencyRecord,
  sealIdempotencyRecord,
  type StillStands,
  takeRecoverableRecord,
} from "../domain/idempotency";
import type { IdempotencyRecordRow } from "../db/tables/idempotency-records.table";
import type { Recovery } from "../domain/recovery";
import { UndecryptableError } from "../crypto/keyring";

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * How an idempotent route replays: the audit action (a replay records `<action>.replayed`), when
 * its response still stands, and for a create the provider makes, how it is recovered after 24 h
 * (`<action>.recovered`).
 */
export interface Replay {
  action: string;
  stillStands: StillStands;
  recover?: Recovery;
}

/** A twin request (same caller, same key) committed first: replay it. */
class ClaimTaken extends Error {}

/** The row a recoverable record names is gone, or was used or changed since its create: the request runs anew. */
class NothingToRecover extends Error {}

const reusedKey = () =>
  new ApiError("validation_failed", "This Idempotency-Key was already used with another request; use a new key.", [
    { path: "Idempotency-Key", message: "was already used with a different method, path or body" },
  ]);

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
 * `<action>.replayed`, and only hands back what still stands (a secret still its key's current
 * one, a row not deleted since); a record whose response no longer stands is forgotten and the
 * request runs anew, whatever its body: that record can no longer cause a duplicate. A create's
 * record past its 24 h is recovered from the row it made, while that row exists (see `recover`).
 */
export async function withIdempotency(
  app: FastifyInstance,
  req: FastifyRequest,
  orgId: string,
  caller: OrgCaller,
  replay: Replay,
  run: (tx: Tx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const key = idempotencyKeyOf(req);
  if (key === undefined) return { ...(await app.writer.run(run)), replayed: false };
  const fingerprint = fingerprintOf(req);
  for (let attempt = 0; attempt < 3; attempt++) {
    const record = await findIdempotencyRecord(app.db, orgId, caller.id, key);
    let fallen: string | undefined;
    if (record && !isLive(record)) {
      if (replay.recover && isRecoverable(record)) {
        try {
          return await recover(app, orgId, caller, replay, replay.recover, record, fingerprint);
        } catch (err) {
          if (err instanceof ClaimTaken) continue;
          if (!(err instanceof NothingToRecover)) throw err;
        }
      }
      fallen = record.id;
    } else if (record) {
      const opened = openIdempotencyRecord(app.keyring, record);
      const body = opened.body as { id?: string } | null;
      // Forgotten before the bodies are compared: e.g. an LLM key replaced for a new provider (deleted, then created with the same key).
      if (!(await replay.stillStands(app.db, orgId, body))) {
        fallen = record.id;
      } else if (opened.fingerprint !== fingerprint) {
        throw reusedKey();
      } else {
        await app.writer.run((tx) => writeAudit(tx.db, orgId, caller, { action: `${replay.action}.replayed`, target: body?.id ?? null }));
        return { status: Number(record.status), body, replayed: true };
      }
    }
    try {
      return await app.writer.run(async (tx) => {
        // Forgotten in the new request's transaction: a request that fails (a 409, a 422) changes nothing.
        if (fallen) await deleteIdempotencyRecord(tx.db, fallen);
        let recordId: string;
        try {
          recordId = await claimIdempotencyKey(tx.db, orgId, caller.id, key);
        } catch (err) {
          if (isUniqueViolation(err)) throw new ClaimTaken();
          throw err;
        }
        const response = await run(tx);
        await sealIdempotencyRecord(tx.db, app.keyring, orgId, recordId, response.status, fingerprint, response.body, replay.recover !== undefined);
        return { ...response, replayed: false };
      });
    } catch (err) {
      if (!(err instanceof ClaimTaken)) throw err;
    }
  }
  throw new ApiError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.");
}

/**
 * A create whose record is past its 24 h, asked again by its caller with the same request: answered
 * from the row it made (domain/recovery.ts), audited as `<action>.recovered`, and sealed into the
 * record, which is live again: a retry of this request replays this answer.
 */
async function recover(
  app: FastifyInstance,
  orgId: string,
  caller: OrgCaller,
  replay: Replay,
  recovery: Recovery,
  record: IdempotencyRecordRow & { targetId: string },
  fingerprint: string,
): Promise<StoredResponse & { replayed: boolean }> {
  return app.writer.run(async (tx) => {
    if (!(await takeRecoverableRecord(tx.db, record))) throw new ClaimTaken();
    // A row gone, or whose secret was used or replaced since, is forgotten whatever the request's body, as a replay that no longer stands.
    if (!(await recovery.untouched(tx.db, orgId, record.targetId))) throw new NothingToRecover();
    if (!sameRequest(app, record, fingerprint)) throw reusedKey();
    const body = await recovery.answer(tx, app.keyring, orgId, caller, record.targetId);
    const status = Number(record.status);
    await sealIdempotencyRecord(tx.db, app.keyring, orgId, record.id, status, fingerprint, body, true);
    await writeAudit(tx.db, orgId, caller, { action: `${replay.action}.recovered`, target: record.targetId });
    return { status, body, replayed: false };
  });
}

/** Whether the kept record is this request's (a fingerprint no master key opens any more: nothing to recover, the request runs anew). */
function sameRequest(app: FastifyInstance, record: IdempotencyRecordRow, fingerprint: string): boolean {
  let kept: string;
  try {
    kept = openFingerprint(app.keyring, record);
  } catch (err) {
    if (err instanceof UndecryptableError) throw new NothingToRecover();
    throw err;
  }
  return kept === fingerprint;
}
