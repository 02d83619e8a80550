import { sql } from "kysely";
import type { Db } from "../db/writer";

/** Counts one hit of a subject in a window, shared by every instance; returns the window's count so far. */
export async function countHit(db: Db, subject: string, windowStart: number): Promise<number> {
  const row = await db
    .insertInto("rateLimitWindows")
    .values({ subject, windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(["subject", "windowStart"]).doUpdateSet({ hits: sql`rate_limit_windows.hits + 1` }))
    .returning("hits")
    .executeTakeFirstOrThrow();
  return Number(row.hits);
}

/** Forgets windows that started before `before`. */
export async function purgeWindows(db: Db, before: number): Promise<void> {
  await db.deleteFrom("rateLimitWindows").where("windowStart", "<", before).execute();
}
