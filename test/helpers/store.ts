import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Client, Pool, types } from "pg";

/** The stores every service suite runs against (the jest project sets which one). */
export type StoreKind = "sqlite" | "postgres";

/** The store of this jest project: `KEYSERVICE_TEST_STORE`, set by `test/setup/store-*.js`. */
export function testStoreKind(): StoreKind {
  const kind = process.env.KEYSERVICE_TEST_STORE ?? "sqlite";
  if (kind !== "sqlite" && kind !== "postgres") throw new Error(`KEYSERVICE_TEST_STORE="${kind}" is neither sqlite nor postgres.`);
  return kind;
}

/**
 * A database of a test's own: a SQLite file in a temp dir, or a PostgreSQL database made for it
 * on the server `test/setup/postgres.js` found or started. Queries use `?` placeholders on both.
 */
export interface TestDatabase {
  kind: StoreKind;
  /** What `keyservice … --db` takes: the SQLite file, or a postgres:// URL. */
  url: string;
  /** A temp dir of the test's own (the SQLite file, dev master key, logs). */
  dir: string;
  query<T = Record<string, any>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The single number a `SELECT count(*) …` returns. */
  count(sql: string, ...params: unknown[]): Promise<number>;
  /** Runs one write (only for what no API can do); returns the rows changed. */
  exec(sql: string, ...params: unknown[]): Promise<number>;
  /** Every stored value as text, plus (SQLite) the raw files with the WAL: what a secret search reads. */
  dumpText(): Promise<string>;
  /** Removes the database (PostgreSQL) and the temp dir. */
  drop(): Promise<void>;
  /** Lets go of its connections, keeping the database. */
  close(): Promise<void>;
}

export function tempDir(prefix = "keyservice-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Instants are int8 (epoch ms): read them back as numbers, as SQLite does.
const parsers = {
  getTypeParser: (oid: number, format?: "text" | "binary") => (oid === 20 ? (v: string) => Number(v) : types.getTypeParser(oid, format as "text")),
};

/** The admin URL of the PostgreSQL server the tests use (see test/setup/postgres.js). */
export function postgresAdminUrl(): string {
  const url = process.env.KEYSERVICE_TEST_PG_ADMIN_URL;
  if (!url) throw new Error("No PostgreSQL server for the tests: run them through jest (test/setup/postgres.js finds or starts one).");
  return url;
}

function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

async function withPg<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, types: parsers });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the tests' PostgreSQL server; returns its URL. */
export async function createPostgresDatabase(prefix = "ks_test"): Promise<string> {
  const admin = postgresAdminUrl();
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withPg(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withPg(postgresAdminUrl(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

function sqliteDatabase(dir: string): TestDatabase {
  const file = path.join(dir, "keyservice.db");
  const open = (readonly: boolean) => new Database(file, { readonly, fileMustExist: true, timeout: 5000 });
  const run = <T>(readonly: boolean, fn: (db: Database.Database) => T): T => {
    const db = open(readonly);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  // Reads share one read-only handle (WAL: it sees every commit); opening the file per query costs more than the query.
  let reader: Database.Database | undefined;
  const query = async <T>(sql: string, ...params: unknown[]) => ((reader ??= open(true)).prepare(sql).all(...params) as T[]);
  return {
    kind: "sqlite",
    url: file,
    dir,
    query,
    count: async (sql, ...params) => Number(Object.values((await query<Record<string, number>>(sql, ...params))[0])[0]),
    exec: async (sql, ...params) => run(false, (db) => db.prepare(sql).run(...params).changes),
    // The files themselves (database, WAL, key file): a secret in a free page or the WAL counts too.
    dumpText: async () => "",
    close: async () => {
      reader?.close();
      reader = undefined;
    },
    drop: async () => {
      reader?.close();
      reader = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresDatabase(dir: string, url: string): TestDatabase {
  // One small pool per test database: a connection per query would cost more than the query.
  let pool: Pool | undefined;
  const pooled = () => {
    if (!pool) {
      pool = new Pool({ connectionString: url, max: 2, types: parsers });
      // An idle connection dies when a test stops or drops its server: the next query reconnects.
      pool.on("error", () => {});
    }
    return pool;
  };
  const query = async <T>(sql: string, ...params: unknown[]) => (await pooled().query(toPgPlaceholders(sql), params)).rows as T[];
  return {
    kind: "postgres",
    url,
    dir,
    query,
    count: async (sql, ...params) => Number(Object.values((await query<Record<string, number>>(sql, ...params))[0])[0]),
    exec: async (sql, ...params) => (await pooled().query(toPgPlaceholders(sql), params)).rowCount ?? 0,
    dumpText: () =>
      withPg(url, async (c) => {
        const tables = await c.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()");
        let text = "";
        for (const { name } of tables.rows) {
          const rows = await c.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
          text += `${name}\n${rows.rows.map((r) => r.row).join("\n")}\n`;
        }
        return text;
      }),
    close: async () => {
      await pool?.end();
      pool = undefined;
    },
    drop: async () => {
      await pool?.end();
      pool = undefined;
      await dropPostgresDatabase(url);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database of the given kind (default: this jest project's store). */
export async function createTestDatabase(kind: StoreKind = testStoreKind(), dir = tempDir()): Promise<TestDatabase> {
  if (kind === "sqlite") return sqliteDatabase(dir);
  return postgresDatabase(dir, await createPostgresDatabase());
}

/** Opens a TestDatabase over a database that already exists (a URL or SQLite path). */
export function attachTestDatabase(url: string, dir: string): TestDatabase {
  return /^postgres(ql)?:\/\//.test(url) ? postgresDatabase(dir, url) : sqliteDatabase(dir);
}
