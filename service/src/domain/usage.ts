import { CompiledQuery, sql } from "kysely";
import type { Db } from "../db/writer";
import type { CredentialKind } from "../db/tables/credentials.table";

// An impersonation's use is audited request by request; its token has no lastUsedAt of its own.
const TABLE = { user: "users", platform: "api_keys", global: "api_keys", deployment: "deployment_keys", platform_admin: "platform_admins", impersonation: undefined } as const;
type Table = NonNullable<(typeof TABLE)[CredentialKind]>;

/** Owners per statement: two parameters each, far under both stores' limits (SQLite 32,766, PostgreSQL 65,535). */
export const USES_PER_STATEMENT = 500;

/** The update of some owners' lastUsedAt; its parameters are an id and an instant per owner. */
function usageUpdate(table: Table, params: unknown[]) {
  const rows: ReturnType<typeof sql>[] = [];
  for (let i = 0; i < params.length; i += 2) rows.push(sql`(${params[i]}, cast(${params[i + 1]} as bigint))`);
  // A CTE with named columns and UPDATE … FROM: the same text runs on SQLite (≥ 3.33) and PostgreSQL.
  return sql`with used (id, at) as (values ${sql.join(rows)})
    update ${sql.table(table)} set last_used_at = used.at from used
    where ${sql.table(table)}.id = used.id and (${sql.table(table)}.last_used_at is null or ${sql.table(table)}.last_used_at < used.at)`;
}

/** The text of a full statement per dialect, table and size, built once: a busy flush runs hundreds of them. */
const fullStatements = new Map<unknown, Map<string, string>>();

/** The statement for these parameters; its text is kept when it is a full one (the last of a table is usually shorter). */
function compiled(db: Db, table: Table, params: unknown[], full: boolean): CompiledQuery {
  if (!full) return usageUpdate(table, params).compile(db);
  const dialect = db.getExecutor().adapter.constructor;
  let texts = fullStatements.get(dialect);
  if (!texts) fullStatements.set(dialect, (texts = new Map()));
  const key = `${table} ${params.length}`;
  let text = texts.get(key);
  if (text === undefined) texts.set(key, (text = usageUpdate(table, params).compile(db).sql));
  return CompiledQuery.raw(text, params);
}

/**
 * Moves `lastUsedAt` forward for each owner, never back (several instances flush out of order),
 * all in one transaction: one statement per table and `perStatement` owners. A flush after a busy
 * interval holds up to one entry per cached key (100,000), and a statement built per owner held
 * the store (SQLite's one connection) while it ran them all, leaving tens of MB of garbage.
 */
export async function recordUsage(db: Db, uses: ReadonlyMap<string, { kind: CredentialKind; at: number }>, perStatement = USES_PER_STATEMENT): Promise<void> {
  // Per table, its owners' ids and instants, flat: [id, at, id, at, …].
  const byTable = new Map<Table, unknown[]>();
  for (const [id, { kind, at }] of uses) {
    const table = TABLE[kind];
    if (!table) continue;
    let params = byTable.get(table);
    if (!params) byTable.set(table, (params = []));
    params.push(id, at);
  }
  if (byTable.size === 0) return;
  const size = 2 * perStatement;
  await db.transaction().execute(async (trx) => {
    for (const [table, params] of byTable) {
      for (let i = 0; i < params.length; i += size) {
        const chunk = params.slice(i, i + size);
        await trx.executeQuery(compiled(trx, table, chunk, chunk.length === size));
      }
    }
  });
}
