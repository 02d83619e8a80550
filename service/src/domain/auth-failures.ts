import { sql } from "kysely";
import type { Db } from "../db/writer";

/** Counts one failed authentication of a client in a window, shared by every instance; returns the window's count. */
export async function recordAuthFailure(db: Db, client: string, windowStart: number): Promise<number> {
  const row = await db
    .insertInto("authFailureWindows")
    .values({ client, windowStart, failures: 1 })
    .onConflict((oc) => oc.columns(["client", "windowStart"]).doUpdateSet({ failures: sql`auth_failure_windows.failures + 1` }))
    .returning("failures")
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/** Forgets windows that ended before `before`, so the table holds at most the last two windows. */
export async function purgeAuthFailures(db: Db, before: number): Promise<void> {
  await db.deleteFrom("authFailureWindows").where("windowStart", "<", before).execute();
}
