import { type Kysely, sql } from "kysely";
import type { Database } from "./database";
import { describeTarget, isPostgresUrl, redactUrl } from "./urls";

export { isStoreUnavailable, isUniqueViolation } from "./errors";

export type StoreKind = "sqlite" | "postgres";

/** The database the service keeps everything in: SQLite (embedded, one instance) or PostgreSQL (shared by many). */
export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** The URL or path, for PostgreSQL's listener connection; never logged (use `location`). */
  readonly url: string;
  /** Where the store is, safe to log: a path, or the URL without its password. */
  readonly location: string;
  /** PostgreSQL's pool, as /metrics shows it; undefined for SQLite. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  /** Resolves once the store answers a query; the error otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `:memory:`, a SQLite file path, or a `postgres://` URL. */
  url: string;
  /** PostgreSQL pool size. @default 10 */
  poolSize?: number;
  /** Errors of idle PostgreSQL connections (a server restart): logged by the caller, never fatal. */
  onIdleError?(err: Error): void;
}

/**
 * Opens the store named by a path or URL; the dialect is a configuration choice. Only the driver
 * in use is loaded (pg or better-sqlite3: each costs memory of its own in every process).
 */
export function openStore({ url, poolSize = 10, onIdleError = () => {} }: StoreOptions): Store {
  if (isPostgresUrl(url)) {
    const { openPostgres } = require("./postgres") as typeof import("./postgres");
    const { db, pool } = openPostgres({ url, poolSize, onIdleError });
    return store("postgres", db, url, redactUrl(url), () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  }
  const { openSqlite } = require("./sqlite") as typeof import("./sqlite");
  return store("sqlite", openSqlite(url), url, url, () => undefined);
}

function store(kind: StoreKind, db: Kysely<Database>, url: string, location: string, poolStats: Store["poolStats"]): Store {
  return {
    kind,
    db,
    url,
    location,
    poolStats,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * The one line `serve` prints when the store cannot be reached at start-up: where (host, port,
 * database, user; never the password) and the server's own reason.
 */
export function unreachableStoreMessage(url: string, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  const where = isPostgresUrl(url) ? describeTarget(url) : `the SQLite database "${url}"`;
  return `cannot open ${where}: ${reason.split("\n")[0]}`;
}
