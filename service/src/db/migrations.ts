import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Kysely, type Migration, sql } from "kysely";
import { splitStatements } from "./sql-statements";

/**
 * The migrations: `service/migrations/*.sql`, two levels above this file in `src/` and `dist/`
 * alike. One migration per file, named `<yyyymmddhhmmss>_<what>.sql`; names sort in the order
 * they run and are what the database records as applied, so a released file is never renamed.
 *
 * They are plain SQL that SQLite and PostgreSQL both run as written (portable types only: text,
 * integer, bigint). They only go forward: a rollback runs the older code on the newer schema,
 * which works because migrations add and never take away what released code reads.
 */
export const MIGRATIONS_DIR = join(__dirname, "..", "..", "migrations");

const NAME = /^\d{14}_[a-z0-9_]+\.sql$/;

let loaded: Record<string, Migration> | undefined;

/** Every migration, by name, read once from {@link MIGRATIONS_DIR}. */
export function migrations(): Record<string, Migration> {
  loaded ??= readMigrations(MIGRATIONS_DIR);
  return loaded;
}

/** The migrations in `dir`; throws, naming the directory or the file, on anything else there. */
export function readMigrations(dir: string): Record<string, Migration> {
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch (err) {
    throw new Error(`cannot read the migrations in ${dir}: ${(err as Error).message}`);
  }
  const misnamed = files.filter((f) => !NAME.test(f));
  if (misnamed.length > 0) throw new Error(`${dir} holds ${misnamed.join(", ")}: a migration is named <yyyymmddhhmmss>_<what>.sql, and nothing else belongs there`);
  if (files.length === 0) throw new Error(`no migrations in ${dir}`);
  const all: Record<string, Migration> = {};
  for (const file of files) {
    const statements = splitStatements(readFileSync(join(dir, file), "utf8"), file);
    const run = async (db: Kysely<any>) => {
      for (const statement of statements) await sql.raw(statement).execute(db);
    };
    // All of a file or none of it. Kysely's migrator runs every pending migration in one transaction
    // on PostgreSQL, but in none on SQLite, which can roll its DDL back as well.
    all[file.slice(0, -".sql".length)] = { up: (db) => (db.isTransaction ? run(db) : db.transaction().execute(run)) };
  }
  return all;
}
