import { DEFAULT_MIGRATION_TABLE, Migrator, sql } from "kysely";
import type { Store } from "./connect";
import { migrations } from "./migrations";

function migrator(store: Store): Migrator {
  return new Migrator({ db: store.db, provider: { getMigrations: async () => migrations() } });
}

/**
 * Brings the schema up to date. Safe from several processes at once: on PostgreSQL Kysely's
 * migrator holds an advisory lock and runs every pending migration in one transaction, so N
 * instances starting together against an empty database migrate exactly once.
 */
export async function migrateToLatest(store: Store): Promise<void> {
  const { error, results } = await migrator(store).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Raised when the database lacks migrations this code needs: the instance must not serve on it. */
export class SchemaBehindError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `the database schema is older than this keyservice: ${missing.length} migration(s) not applied (${missing[0]}${missing.length > 1 ? ` … ${missing[missing.length - 1]}` : ""}). ` +
        "Run `keyservice migrate --db …` first, or start serve without --no-migrate.",
    );
    this.name = "SchemaBehindError";
  }
}

/** How the database's schema compares with this code's migrations. */
export interface SchemaState {
  /** Migrations of this code the database lacks. */
  missing: string[];
  /** Migrations the database has that this code does not know (a newer keyservice applied them). */
  newer: string[];
}

export async function schemaState(store: Store): Promise<SchemaState> {
  const applied = new Set(await appliedMigrations(store));
  const known = new Set(Object.keys(migrations()));
  return { missing: [...known].filter((name) => !applied.has(name)), newer: [...applied].filter((name) => !known.has(name)) };
}

/**
 * Makes the schema fit to serve: migrates what is missing (when allowed), then refuses a schema
 * still older than the code. A newer one (another instance already rolled forward) is served:
 * migrations only add, so older code keeps working on them during a rolling deploy.
 */
export async function prepareSchema(store: Store, migrate: boolean): Promise<SchemaState> {
  let state = await schemaState(store);
  if (state.missing.length > 0 && migrate) {
    await migrateToLatest(store);
    state = await schemaState(store);
  }
  if (state.missing.length > 0) throw new SchemaBehindError(state.missing);
  return state;
}

/** The names of the migrations recorded in the database (none before the first migration). */
async function appliedMigrations(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === DEFAULT_MIGRATION_TABLE)) return [];
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(store.db);
  return rows.map((r) => r.name);
}
