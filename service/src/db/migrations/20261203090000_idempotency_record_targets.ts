import type { Kysely } from "kysely";

// The row a create made (its id), kept after the record's 24 h so that a create whose answer was
// lost can be recovered by the same caller on any later run (domain/recovery.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("idempotency_records").addColumn("target_id", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("idempotency_records").dropColumn("target_id").execute();
}
