import { Migrator } from "kysely";
import type { Store } from "./connect";
import { migrations } from "./migrations";

/** Brings the schema up to date; safe to run on every start and from several processes. */
export async function migrateToLatest(db: Store): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
