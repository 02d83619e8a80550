import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CamelCasePlugin, Kysely, SqliteDialect } from "kysely";
import type { Database } from "./database";

export type Store = Kysely<Database>;

export interface StoreLocation {
  /** `:memory:`, a SQLite file path, or (later) a `postgres://` URL. */
  url: string;
}

/** Opens the store named by a path or URL; the dialect is a configuration choice. */
export function openStore({ url }: StoreLocation): Store {
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("PostgreSQL is not supported yet: pass --db with a SQLite file path (PostgreSQL support is planned).");
  }
  if (url !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
  const sqlite = new SqliteDatabase(url);
  // WAL lets `bootstrap` and `reencrypt` write while `serve` runs; the timeout waits out their locks.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [new CamelCasePlugin()] });
}

/** True when a write failed on a unique constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}
