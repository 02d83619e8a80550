import { type Compilable, CompiledQuery, type Kysely } from "kysely";
import type { Database } from "./database";
import type { Db } from "./writer";

type Compiled<Args extends unknown[]> = { sql: string; bind: (args: Args) => unknown[] };

/**
 * A query built and compiled once per dialect, then only re-bound: for the auth path, where
 * building a Kysely query costs more than running it. `build` receives placeholders in place of
 * the arguments and must use each as a plain value.
 */
function compiledOnce<Args extends unknown[], Row>(build: (db: Kysely<Database>, ...placeholders: Args) => Compilable<Row>) {
  const byDialect = new Map<unknown, Compiled<Args>>();
  return (db: Db, args: Args): CompiledQuery<Row> => {
    const adapter = db.getExecutor().adapter;
    let q = byDialect.get(adapter.constructor);
    if (!q) {
      const placeholders = args.map((_, i) => `\u0000prepared-arg-${i}\u0000`) as Args;
      const { sql, parameters } = build(db as Kysely<Database>, ...placeholders).compile();
      const slots = parameters.map((p) => placeholders.indexOf(p as Args[number]));
      q = { sql, bind: (values) => parameters.map((p, i) => (slots[i] >= 0 ? values[slots[i]] : p)) };
      byDialect.set(adapter.constructor, q);
    }
    return CompiledQuery.raw(q.sql, q.bind(args)) as CompiledQuery<Row>;
  };
}

/** A compiled query returning its first row. */
export function prepared<Args extends unknown[], Row>(build: (db: Kysely<Database>, ...placeholders: Args) => Compilable<Row>) {
  const compile = compiledOnce(build);
  return async (db: Db, ...args: Args): Promise<Row | undefined> => (await db.executeQuery(compile(db, args))).rows[0];
}

/** A compiled query returning every row. */
export function preparedAll<Args extends unknown[], Row>(build: (db: Kysely<Database>, ...placeholders: Args) => Compilable<Row>) {
  const compile = compiledOnce(build);
  return async (db: Db, ...args: Args): Promise<Row[]> => (await db.executeQuery(compile(db, args))).rows;
}
