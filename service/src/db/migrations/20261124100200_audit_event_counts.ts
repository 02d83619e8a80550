import type { Kysely } from "kysely";

// Repeated events (failed authentications of one client in one org and window) are one row with a
// count, found by aggregate_key; every other event has a null key and a count of 1.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("audit_events").addColumn("count", "integer").execute();
  await db.schema.alterTable("audit_events").addColumn("aggregate_key", "text").execute();
  await db.schema.createIndex("audit_events_aggregate_key_unique").on("audit_events").column("aggregate_key").unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_events_aggregate_key_unique").execute();
  await db.schema.alterTable("audit_events").dropColumn("aggregate_key").execute();
  await db.schema.alterTable("audit_events").dropColumn("count").execute();
}
