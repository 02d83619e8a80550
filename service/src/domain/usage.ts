import { CompiledQuery, sql } from "kysely";
import type { Db } from "../db/writer";
import type { CredentialKind } from "../db/tables/credentials.table";

// An impersonation's use is audited request by request; its token has no lastUsedAt of its own.
const TABLE = { user: "users", platform: "api_keys", global: "api_keys", deployment: "deployment_keys", platform_admin: "platform_admins", impersonation: undefined } as const;
type Table = NonNullable<(typeof TABLE)[CredentialKind]>;

export interface UsageWrite {
  /**
   * All statements in one transaction: on SQLite, where each commit is an fsync on the one
   * connection. On PostgreSQL each statement commits alone, so a flush never holds the locks of
   * thousands of keys (a revocation waits one statement at most) and two instances flushing the
   * same keys in different orders hold too little at once to deadlock for long.
   */
  oneTransaction: boolean;
  /** Owners per statement (two parameters each, far under SQLite's 32,766 and PostgreSQL's 65,535). @default 500 */
  perStatement?: number;
}

/** The update of some owners' lastUsedAt; its parameters are an id and an instant per owner (a null id matches nothing). */
function usageUpdate(table: Table, params: unknown[]) {
  const rows: ReturnType<typeof sql>[] = [];
  for (let i = 0; i < params.length; i += 2) rows.push(sql`(${params[i]}, cast(${params[i + 1]} as bigint))`);
  // A CTE with named columns and UPDATE … FROM: the same statement runs on SQLite (≥ 3.33) and PostgreSQL.
  return sql`with used (id, at) as (values ${sql.join(rows)})
    update ${sql.table(table)} set last_used_at = used.at from used
    where ${sql.table(table)}.id = used.id and (${sql.table(table)}.last_used_at is null or ${sql.table(table)}.last_used_at < used.at)`;
}

/**
 * Each statement's text per dialect, table and number of rows, built once. A statement is padded
 * with null rows to a power of two (or to `perStatement`), so each table has a dozen texts at most:
 * every text is also a statement the store keeps prepared.
 */
const texts = new Map<unknown, Map<string, string>>();

function statement(db: Db, table: Table, params: unknown[], perStatement: number): CompiledQuery {
  const owners = params.length / 2;
  const rows = Math.min(perStatement, 2 ** Math.ceil(Math.log2(owners)));
  while (params.length < 2 * rows) params.push(null, null);
  const dialect = db.getExecutor().adapter.constructor;
  let byShape = texts.get(dialect);
  if (!byShape) texts.set(dialect, (byShape = new Map()));
  const shape = `${table} ${rows}`;
  let text = byShape.get(shape);
  if (text === undefined) byShape.set(shape, (text = usageUpdate(table, params).compile(db).sql));
  return CompiledQuery.raw(text, params);
}

/**
 * Owners' last uses, by kind: owner id → instant, as milliseconds after `since` (the recorder keeps
 * them small so they stay integers in the Map's slots; pass `since: 0` for the instants themselves).
 */
export interface Uses {
  since: number;
  byKind: Readonly<Partial<Record<CredentialKind, ReadonlyMap<string, number>>>>;
}

/**
 * Moves `lastUsedAt` forward for each owner, never back (several instances flush out of order):
 * one statement per table and `perStatement` owners. A flush after a busy interval holds up to one
 * entry per cached key (100,000); a statement built per owner held SQLite's one connection while
 * it ran them all, and left tens of MB of garbage.
 */
export async function recordUsage(db: Db, { since, byKind }: Uses, { oneTransaction, perStatement = 500 }: UsageWrite): Promise<void> {
  if (!Number.isInteger(perStatement) || perStatement < 1) throw new Error(`perStatement must be a whole number of at least 1, got ${perStatement}.`);
  // Per table, its owners' ids and instants, flat: [id, at, id, at, …].
  const byTable = new Map<Table, unknown[]>();
  for (const [kind, owners] of Object.entries(byKind) as [CredentialKind, ReadonlyMap<string, number>][]) {
    const table = TABLE[kind];
    if (!table || owners.size === 0) continue;
    let params = byTable.get(table);
    if (!params) byTable.set(table, (params = []));
    for (const [id, after] of owners) params.push(id, since + after);
  }
  const run = async (on: Db) => {
    for (const [table, params] of byTable) {
      for (let i = 0; i < params.length; i += 2 * perStatement) {
        await on.executeQuery(statement(on, table, params.slice(i, i + 2 * perStatement), perStatement));
      }
    }
  };
  if (byTable.size === 0) return;
  await (oneTransaction ? db.transaction().execute(run) : run(db));
}
