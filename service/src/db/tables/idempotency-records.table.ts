import type { Insertable, Selectable } from "kysely";

/** A create or rotate replayable for 24 h; the response (which holds a secret) is sealed. */
export interface IdempotencyRecordsTable {
  id: string;
  orgId: string;
  idempotencyKey: string;
  fingerprint: string;
  /** Null while the first request is still running. */
  status: number | null;
  sealedResponse: string | null;
  createdAt: number;
}
export type IdempotencyRecordRow = Selectable<IdempotencyRecordsTable>;
export type NewIdempotencyRecordRow = Insertable<IdempotencyRecordsTable>;
