import { type Compilable, CompiledQuery } from "kysely";
import type { Store } from "./connect";

/**
 * A query built and compiled once per store, then only re-bound: for the hot paths (every
 * authenticated request, every execute), where building a Kysely query costs more than running it.
 * `build` receives placeholders in place of the arguments and must use each as a plain value.
 */
export function prepared<Args extends unknown[], Row>(build: (db: Store, ...placeholders: Args) => Compilable<Row>) {
  const compiled = new WeakMap<Store, { sql: string; bind: (args: Args) => unknown[] }>();
  return async (db: Store, ...args: Args): Promise<Row | undefined> => {
    let q = compiled.get(db);
    if (!q) {
      const placeholders = args.map((_, i) => `\u0000prepared-arg-${i}\u0000`) as Args;
      const { sql, parameters } = build(db, ...placeholders).compile();
      const slots = parameters.map((p) => placeholders.indexOf(p as Args[number]));
      q = { sql, bind: (values) => parameters.map((p, i) => (slots[i] >= 0 ? values[slots[i]] : p)) };
      compiled.set(db, q);
    }
    const result = await db.executeQuery<Row>(CompiledQuery.raw(q.sql, q.bind(args)));
    return result.rows[0];
  };
}
