import { Kysely, CamelCasePlugin, PostgresDialect } from "kysely";
import { Pool, type PoolConfig, types } from "pg";
import type { Database } from "./database";

// Instants are int8 epoch milliseconds, well within 2^53: read them as numbers, as SQLite gives them.
const typeParsers: PoolConfig["types"] = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === types.builtins.INT8 ? (text: string) => Number(text) : types.getTypeParser(oid, format as "text")) as never,
};

export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Called for errors of connections between queries (the server restarting): they must not crash the process. */
  onIdleError(err: Error): void;
}

/** A pg pool and Kysely over it. Connection attempts give up after a few seconds, so a dead server fails fast. */
export function openPostgres({ url, poolSize, onIdleError }: PostgresOptions): { db: Kysely<Database>; pool: Pool } {
  const pool = new Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types: typeParsers,
    application_name: "keyservice",
  });
  pool.on("error", onIdleError);
  // pg-pool listens for errors on idle clients only: a checked-out client that the server drops
  // between two statements (a restart during a transaction) would otherwise crash the process. Its
  // next query fails instead (a 503), and the pool discards it on release (it is no longer queryable).
  pool.on("connect", (client) => client.on("error", onIdleError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return { db, pool };
}
