import type { Selectable } from "kysely";

/**
 * A create or rotate replayable for 24 h by the same caller with the same Idempotency-Key. Written
 * in the transaction of the change itself, so it exists exactly when the change committed; the
 * response (which holds a secret) is sealed.
 */
export interface IdempotencyRecordsTable {
  id: string;
  orgId: string;
  /** The calling member or platform key: another caller's identical request is a new request. */
  ownerId: string;
  idempotencyKey: string;
  fingerprint: string;
  status: number;
  /** Empty once the record is past its 24 h: the secret it answered with is gone, `targetId` stays. */
  sealedResponse: string;
  createdAt: number;
  /** The row a create made; a create's record outlives its 24 h by this alone, while that row exists. */
  targetId: string | null;
}
export type IdempotencyRecordRow = Selectable<IdempotencyRecordsTable>;
