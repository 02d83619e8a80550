import type { Kysely } from "kysely";

// Hits per subject (a client address or /64 for failed authentications, a caller for LLM-key
// verification) per fixed window, shared by every instance. Old windows are purged.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rate_limit_windows")
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rate_limit_windows_pk", ["subject", "window_start"])
    .execute();
  await db.schema.createIndex("rate_limit_windows_start_idx").on("rate_limit_windows").column("window_start").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rate_limit_windows").execute();
}
