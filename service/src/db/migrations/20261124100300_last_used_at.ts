import type { Kysely } from "kysely";

// When a credential last opened something, written in batches off the hot path (null: never used).
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["api_keys", "deployment_keys", "users"]) {
    await db.schema.alterTable(table).addColumn("last_used_at", "bigint").execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["api_keys", "deployment_keys", "users"]) {
    await db.schema.alterTable(table).dropColumn("last_used_at").execute();
  }
}
