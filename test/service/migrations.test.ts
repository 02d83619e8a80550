import fs from "node:fs";
import path from "node:path";
import { migrateToLatest, openStore } from "@keyservice/service";
import { MIGRATIONS_DIR, readMigrations } from "@keyservice/service/dist/db/migrations";
import { runCli } from "../helpers/cli";
import { schemaOf } from "../helpers/schema";
import { createTestDatabase, type StoreKind, type TestDatabase, tempDir, testStoreKind } from "../helpers/store";

/**
 * The migrations released so far, by the names every database migrated since records as applied:
 * renaming or dropping one breaks those databases. New ones follow them.
 */
const RELEASED = [
  "20261123090000_orgs_and_users",
  "20261123090100_deployments",
  "20261123090200_api_keys",
  "20261123090300_credentials",
  "20261123090400_audit_events",
  "20261123090500_idempotency_records",
  "20261123090600_llm_keys",
  "20261123090700_llm_keys_rotated_at",
  "20261124100000_idempotency_records_by_owner",
  "20261124100100_rate_limit_windows",
  "20261124100200_audit_event_counts",
  "20261124100300_last_used_at",
  "20261125090000_org_lifecycle",
  "20261125090100_platform_admins",
  "20261125090200_impersonations",
  "20261125090300_audit_event_detail",
  "20261203090000_idempotency_record_targets",
];

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(() => Promise.all(cleanups.map((cleanup) => cleanup())));

async function freshDatabase(kind: StoreKind = testStoreKind()): Promise<TestDatabase> {
  const db = await createTestDatabase(kind);
  cleanups.push(() => db.drop());
  return db;
}

async function migrate(db: TestDatabase): Promise<void> {
  const store = openStore({ url: db.url });
  try {
    await migrateToLatest(store);
  } finally {
    await store.close();
  }
}

it(`keyservice migrate applies every released migration and whatever follows, each once (${testStoreKind()})`, async () => {
  const files = fs.readdirSync(MIGRATIONS_DIR).map((f) => f.replace(/\.sql$/, "")).sort();
  expect(files.slice(0, RELEASED.length)).toEqual(RELEASED);
  const db = await freshDatabase();
  expect((await runCli(["migrate", "--db", db.url])).code).toBe(0);
  expect((await runCli(["migrate", "--db", db.url])).code).toBe(0);
  const applied = await db.query<{ name: string }>("SELECT name FROM kysely_migration ORDER BY name");
  expect(applied.map((r) => r.name)).toEqual(files);
});

it("SQLite and PostgreSQL get the same schema from the same files: columns, keys, unique sets, indexes, foreign keys", async () => {
  const [sqlite, postgres] = [await freshDatabase("sqlite"), await freshDatabase("postgres")];
  await Promise.all([migrate(sqlite), migrate(postgres)]);
  const schema = await schemaOf(sqlite);
  expect(schema.users).toEqual([
    "column created_at bigint not null",
    "column id text not null",
    "column last_used_at bigint",
    "column name text not null",
    "column org_id text not null",
    "column role text not null",
    "foreign key (org_id) references orgs (id) on delete cascade",
    "primary key (id)",
    "unique (org_id, name)",
  ]);
  expect(schema.orgs).toContain("column is_active integer not null default 1");
  expect(schema.api_key_deployments).toContain("primary key (api_key_id, deployment_id)");
  expect(schema.audit_events).toEqual(expect.arrayContaining(["index audit_events_org_id_idx (org_id, id)", "unique (aggregate_key)"]));
  expect(await schemaOf(postgres)).toEqual(schema);
});

describe("a migration file", () => {
  function migrationsIn(files: Record<string, string>): string {
    const dir = tempDir("keyservice-migrations-");
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it(`runs each of its statements, whatever stands in its comments and strings (${testStoreKind()})`, async () => {
    const dir = migrationsIn({
      "20990101000000_two.sql": [
        "-- a comment that ends like a statement;",
        "create table t_one (",
        "  a text not null -- why a; and more",
        "); -- the first; done",
        "/* a block;",
        "   comment */ create table t_two (b text);",
        "insert into t_two (b) values ('x;",
        "y''s'); insert into t_one (a) values ('z')",
        "",
      ].join("\n"),
    });
    const migrations = readMigrations(dir);
    expect(Object.keys(migrations)).toEqual(["20990101000000_two"]);
    const db = await freshDatabase();
    const store = openStore({ url: db.url });
    try {
      await migrations["20990101000000_two"].up(store.db);
    } finally {
      await store.close();
    }
    expect(await db.query("SELECT a FROM t_one")).toEqual([{ a: "z" }]);
    expect(await db.query("SELECT b FROM t_two")).toEqual([{ b: "x;\ny's" }]);
  });

  it(`applies all of its statements or none (${testStoreKind()})`, async () => {
    const migrations = readMigrations(migrationsIn({ "20990101000000_half.sql": "create table t_half (a text);\ncreate table t_half (b text);\n" }));
    const db = await freshDatabase();
    const store = openStore({ url: db.url });
    try {
      // Matched by its message: better-sqlite3 makes its errors with the SqliteError of the first test
      // file that loaded it in this worker, which is no Error of this file's realm for toThrow.
      await expect(migrations["20990101000000_half"].up(store.db)).rejects.toMatchObject({ message: expect.stringMatching(/t_half/) });
    } finally {
      await store.close();
    }
    const tables = db.kind === "sqlite" ? "SELECT count(*) AS n FROM sqlite_master WHERE name = 't_half'" : "SELECT count(*) AS n FROM pg_tables WHERE tablename = 't_half'";
    expect(await db.count(tables)).toBe(0);
  });

  it("is refused, by its name, when it holds no statement or leaves a string open", () => {
    expect(() => readMigrations(migrationsIn({ "20990101000000_empty.sql": "-- nothing here yet;\n\n" }))).toThrow("migration 20990101000000_empty.sql holds no SQL statement");
    expect(() => readMigrations(migrationsIn({ "20990101000000_open.sql": "insert into t (a) values ('x);\n" }))).toThrow("migration 20990101000000_open.sql: a string is never closed");
  });

  it("is refused when it is not named <yyyymmddhhmmss>_<what>.sql, and so is a folder without migrations", () => {
    const misnamed = migrationsIn({ "20990101000000_ok.sql": "select 1;", "fix.sql": "select 1;" });
    expect(() => readMigrations(misnamed)).toThrow(`${misnamed} holds fix.sql: a migration is named <yyyymmddhhmmss>_<what>.sql`);
    const empty = migrationsIn({});
    expect(() => readMigrations(empty)).toThrow(`no migrations in ${empty}`);
    expect(() => readMigrations(path.join(empty, "missing"))).toThrow(`cannot read the migrations in ${path.join(empty, "missing")}: ENOENT`);
  });
});
