import type { TestDatabase } from "./store";

/**
 * A store's schema, table by table, as lines comparable between SQLite and PostgreSQL: each
 * column (type, not null, default), the primary key, every unique column set (however it is
 * declared: the names differ between the stores), each other index by name, and each foreign key
 * with its delete rule. A primary key's columns count as not null: PostgreSQL enforces that, and
 * SQLite would take a null in a text key (a documented quirk of its own) the service never writes.
 */
export async function schemaOf(db: TestDatabase): Promise<Record<string, string[]>> {
  const schema: Record<string, string[]> = {};
  const add = (table: string, line: string) => (schema[table] ??= []).push(line);
  const read = db.kind === "sqlite" ? sqliteSchema : postgresSchema;
  for (const c of await read.columns(db)) add(c.t, `column ${c.c} ${c.type}${c.nn || c.pk ? " not null" : ""}${c.dflt === null ? "" : ` default ${c.dflt}`}`);
  for (const i of await read.indexes(db)) add(i.t, i.primary ? `primary key (${i.cols})` : i.unique ? `unique (${i.cols})` : `index ${i.name} (${i.cols})`);
  for (const f of await read.foreignKeys(db)) add(f.t, `foreign key (${f.c}) references ${f.rt} (${f.rc}) on delete ${f.d.toLowerCase()}`);
  for (const lines of Object.values(schema)) lines.sort();
  return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => a.localeCompare(b)));
}

interface Column {
  t: string;
  c: string;
  type: string;
  nn: number | boolean;
  pk: number | boolean;
  dflt: string | null;
}
interface Index {
  t: string;
  name: string;
  unique: boolean;
  primary: boolean;
  /** Its columns in key order, comma-separated. */
  cols: string;
}
interface ForeignKey {
  t: string;
  c: string;
  rt: string;
  rc: string;
  d: string;
}

const TABLES = "m.type = 'table' AND m.name NOT LIKE 'kysely%' AND m.name NOT LIKE 'sqlite%'";

const sqliteSchema = {
  columns: (db: TestDatabase) =>
    db.query<Column>(`SELECT m.name AS t, p.name AS c, lower(p.type) AS type, p."notnull" AS nn, p.pk AS pk, p.dflt_value AS dflt FROM sqlite_master m, pragma_table_info(m.name) p WHERE ${TABLES}`),
  async indexes(db: TestDatabase): Promise<Index[]> {
    const [columns, keys] = await Promise.all([
      db.query<{ t: string; name: string; u: number; origin: string; n: number; c: string }>(
        `SELECT m.name AS t, il.name AS name, il."unique" AS u, il.origin AS origin, ii.seqno AS n, ii.name AS c FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii WHERE ${TABLES}`,
      ),
      db.query<{ t: string; c: string; pk: number }>(`SELECT m.name AS t, p.name AS c, p.pk AS pk FROM sqlite_master m, pragma_table_info(m.name) p WHERE ${TABLES} AND p.pk > 0`),
    ]);
    const indexes = new Map<string, Index & { parts: { n: number; c: string }[] }>();
    for (const r of columns.filter((r) => r.origin !== "pk")) {
      const index = indexes.get(r.name) ?? { t: r.t, name: r.name, unique: r.u === 1, primary: false, cols: "", parts: [] };
      index.parts.push({ n: r.n, c: r.c });
      indexes.set(r.name, index);
    }
    const primary = new Map<string, { n: number; c: string }[]>();
    for (const k of keys) primary.set(k.t, [...(primary.get(k.t) ?? []), { n: k.pk, c: k.c }]);
    const joined = (parts: { n: number; c: string }[]) => [...parts].sort((a, b) => a.n - b.n).map((p) => p.c).join(", ");
    return [
      ...[...indexes.values()].map(({ parts, ...index }) => ({ ...index, cols: joined(parts) })),
      ...[...primary].map(([t, parts]) => ({ t, name: "", unique: true, primary: true, cols: joined(parts) })),
    ];
  },
  foreignKeys: (db: TestDatabase) =>
    db.query<ForeignKey>(`SELECT m.name AS t, f."from" AS c, f."table" AS rt, f."to" AS rc, f.on_delete AS d FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE ${TABLES}`),
};

const PUBLIC_TABLES = "n.nspname = 'public' AND c.relname NOT LIKE 'kysely%'";

const postgresSchema = {
  columns: (db: TestDatabase) =>
    db.query<Column>(
      `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable = 'NO' AS nn, false AS pk, column_default AS dflt
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely%'`,
    ),
  indexes: (db: TestDatabase) =>
    db.query<Index>(
      `SELECT c.relname AS t, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
         (SELECT string_agg(a.attname, ', ' ORDER BY k.o) FROM unnest(i.indkey) WITH ORDINALITY AS k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${PUBLIC_TABLES}`,
    ),
  foreignKeys: (db: TestDatabase) =>
    db.query<ForeignKey>(
      `SELECT c.relname AS t, a.attname AS c, rc.relname AS rt, ra.attname AS rc,
         CASE k.confdeltype WHEN 'c' THEN 'cascade' WHEN 'a' THEN 'no action' ELSE k.confdeltype::text END AS d
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class rc ON rc.oid = k.confrelid
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
       WHERE k.contype = 'f' AND ${PUBLIC_TABLES}`,
    ),
};
