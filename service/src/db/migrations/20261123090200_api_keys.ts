import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("is_active", "integer", (c) => c.notNull())
    .addColumn("allow_all_deployments", "integer", (c) => c.notNull())
    .addColumn("permission", "text")
    .addColumn("expires_at", "bigint")
    .addColumn("key_hint", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("rotated_at", "bigint")
    .addColumn("previous_key_expires_at", "bigint")
    .addUniqueConstraint("api_keys_org_kind_name_unique", ["org_id", "kind", "name"])
    .execute();
  await db.schema
    .createTable("api_key_deployments")
    .addColumn("api_key_id", "text", (c) => c.notNull().references("api_keys.id").onDelete("cascade"))
    .addColumn("deployment_id", "text", (c) => c.notNull().references("deployments.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("api_key_deployments_pk", ["api_key_id", "deployment_id"])
    .execute();
  await db.schema.createIndex("api_key_deployments_deployment_idx").on("api_key_deployments").column("deployment_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("api_key_deployments").execute();
  await db.schema.dropTable("api_keys").execute();
}
