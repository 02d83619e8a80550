import type { Kysely } from "kysely";

// A platform admin acting as an org admin for a while, with a reason; its token is a credential of the org.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("impersonations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("admin_id", "text", (c) => c.notNull())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("ended_at", "bigint")
    .execute();
  await db.schema.createIndex("impersonations_org_idx").on("impersonations").column("org_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("impersonations").execute();
}
