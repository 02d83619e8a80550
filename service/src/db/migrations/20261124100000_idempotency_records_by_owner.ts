import type { Kysely } from "kysely";
import { up as createOrgScopedTable } from "./20261123090500_idempotency_records";

// Replays are scoped to the caller (member or platform key), not only the org: another caller's
// identical request is a new request. Records live 24 h, so the old table is dropped, not converted.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("idempotency_records").execute();
  await db.schema
    .createTable("idempotency_records")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("sealed_response", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("idempotency_records_owner_key_unique", ["org_id", "owner_id", "idempotency_key"])
    .execute();
  await db.schema.createIndex("idempotency_records_created_idx").on("idempotency_records").column("created_at").execute();
}

// Back to the table the first migration made (records are dropped either way: they live 24 h).
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("idempotency_records").execute();
  await createOrgScopedTable(db);
}
