import { purgeIdempotencyRecords } from "@keyservice/service/dist/domain/idempotency";
import type { TestService } from "./service";

const A_DAY_AND_A_MINUTE_MS = 24 * 3600 * 1000 + 60 * 1000;

/**
 * Moves idempotency records (one key's, or all of them) past their 24 h, as a day passing would (no
 * API moves time), and runs the housekeeping that purges them. Returns how many records moved.
 */
export async function aDayPasses(svc: TestService, idempotencyKey?: string): Promise<number> {
  const moved =
    idempotencyKey === undefined
      ? await svc.db.exec("UPDATE idempotency_records SET created_at = created_at - ?", A_DAY_AND_A_MINUTE_MS)
      : await svc.db.exec("UPDATE idempotency_records SET created_at = created_at - ? WHERE idempotency_key = ?", A_DAY_AND_A_MINUTE_MS, idempotencyKey);
  await purgeIdempotencyRecords(svc.app.db);
  return moved;
}
