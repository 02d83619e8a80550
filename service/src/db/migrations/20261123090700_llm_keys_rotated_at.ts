import type { Kysely } from "kysely";

// When an LLM key's secret was last replaced (null until its first rotation).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("llm_keys").addColumn("rotated_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("llm_keys").dropColumn("rotated_at").execute();
}
