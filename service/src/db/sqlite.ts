import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CamelCasePlugin, Kysely, SqliteDialect, type SqliteDatabase as KyselySqlite } from "kysely";
import { LRUCache } from "lru-cache";
import type { Database } from "./database";

/** Distinct statements kept prepared: every query the service builds, with room for the `in (…)` lists of any length. */
const STATEMENTS = 1000;

/**
 * better-sqlite3 as Kysely sees it, with each SQL text prepared once. Kysely's driver prepares on
 * every call, which costs more than running a point lookup; a statement is reusable as soon as it
 * has run, and Kysely runs one query at a time on its one connection.
 */
function preparingOnce(sqlite: SqliteDatabase.Database): KyselySqlite {
  const statements = new LRUCache<string, SqliteDatabase.Statement>({ max: STATEMENTS });
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * SQLite's own page cache, in KiB. better-sqlite3 builds SQLite with 16 MiB per connection, all of it
 * resident once a cache of 100,000 credentials has been filled from disk; the file's pages stay in
 * the kernel's page cache anyway, and the hot paths answer from the credential cache.
 */
const PAGE_CACHE_KIB = 2048;

/** The embedded store: one file (or `:memory:`), one process serving it. */
export function openSqlite(file: string): Kysely<Database> {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets `bootstrap` and `reencrypt` write while `serve` runs; the timeout waits out their locks.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: preparingOnce(sqlite) }), plugins: [new CamelCasePlugin()] });
}
