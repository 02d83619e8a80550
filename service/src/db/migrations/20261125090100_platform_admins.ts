import type { Kysely } from "kysely";

// Operators of the service itself, across orgs; their credentials belong to no org (org_id '').
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("platform_admins")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_used_at", "bigint")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("platform_admins").execute();
}
