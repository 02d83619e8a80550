import type { Kysely } from "kysely";

// Failed authentications per client (an IPv4 address or an IPv6 /64) per fixed window, shared by
// every instance. Old windows are purged, so the table holds at most two windows of clients.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("auth_failure_windows")
    .addColumn("client", "text", (c) => c.notNull())
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("auth_failure_windows_pk", ["client", "window_start"])
    .execute();
  await db.schema.createIndex("auth_failure_windows_start_idx").on("auth_failure_windows").column("window_start").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("auth_failure_windows").execute();
}
