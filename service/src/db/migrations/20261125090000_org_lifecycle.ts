import type { Kysely } from "kysely";

// Orgs get a display name and can be deactivated (every credential of a deactivated org is refused).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("orgs").addColumn("name", "text").execute();
  await db.schema.alterTable("orgs").addColumn("is_active", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable("orgs").addColumn("updated_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ["updated_at", "is_active", "name"]) await db.schema.alterTable("orgs").dropColumn(column).execute();
}
