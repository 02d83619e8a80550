import type { Kysely } from "kysely";

// Free text an event carries beyond ids (the reason given for an impersonation); never a secret.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("audit_events").addColumn("detail", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("audit_events").dropColumn("detail").execute();
}
