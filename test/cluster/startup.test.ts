import { KeyserviceClient } from "@keyservice/sdk";
import { runCli } from "../helpers/cli";
import { spawnService, testMasterKey } from "../helpers/service";
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from "../helpers/store";

/** The password the failing URLs carry: it must never be printed. */
const PASSWORD = "pw-that-must-not-leak-0d1e";

function urlWith(changes: { user?: string; port?: string; database?: string }): string {
  const url = new URL(postgresAdminUrl());
  url.username = changes.user ?? url.username;
  url.password = PASSWORD;
  if (changes.port) url.port = changes.port;
  if (changes.database) url.pathname = `/${changes.database}`;
  return url.toString();
}

/** What an operator reads when serve refuses to start: exactly one line, no stack trace, no password. */
function expectOneClearLine(output: string): string {
  const lines = output.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(output).not.toContain(PASSWORD);
  expect(output).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe("keyservice serve --db postgres://… that cannot be used", () => {
  it("fails within a few seconds, in one line naming host, port, database and the server's reason, when the server is down", async () => {
    const res = await runCli(["serve", "--port", "0", "--db", urlWith({ port: "1" })], { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() }, 20_000);
    expect(res.code).toBe(1);
    expect(res.ms).toBeLessThan(10_000);
    const line = expectOneClearLine(res.stdout + res.stderr);
    expect(line).toMatch(/^keyservice: cannot open PostgreSQL at 127\.0\.0\.1:1, database "[^"]+", as user "[^"]+": .*ECONNREFUSED/);
  });

  it("fails in one line with the server's reason when the role does not exist", async () => {
    const res = await runCli(["serve", "--port", "0", "--db", urlWith({ user: "no_such_role_x" })], { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() }, 20_000);
    expect(res.code).toBe(1);
    const line = expectOneClearLine(res.stdout + res.stderr);
    expect(line).toContain('as user "no_such_role_x"');
    expect(line).toMatch(/no_such_role_x/);
  });

  it("fails in one line when the database does not exist", async () => {
    const res = await runCli(["serve", "--port", "0", "--db", urlWith({ database: "no_such_database_x" })], { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() }, 20_000);
    expect(res.code).toBe(1);
    expect(expectOneClearLine(res.stdout + res.stderr)).toMatch(/database "no_such_database_x".*does not exist/);
  });

  it("refuses to start without KEYSERVICE_ENCRYPTION_KEYS: no development key beside a shared database", async () => {
    const db = await createTestDatabase("postgres");
    try {
      const res = await runCli(["serve", "--port", "0", "--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: "" }, 20_000);
      expect(res.code).toBe(1);
      expect(expectOneClearLine(res.stderr)).toMatch(/KEYSERVICE_ENCRYPTION_KEYS is required with PostgreSQL/);
    } finally {
      await db.drop();
    }
  });
});

describe("migrations with several instances", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase("postgres");
  });
  afterEach(() => db?.drop());

  it("migrates exactly once when four instances start at once against an empty database, and all four serve", async () => {
    const env = { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() };
    const instances = await Promise.all([0, 1, 2, 3].map(() => spawnService(["--db", db.url], env)));
    try {
      for (const instance of instances) await expect(new KeyserviceClient({ endpoint: instance.url }).ready()).resolves.toEqual({ status: "ready", store: "postgres" });
      const rows = await db.query<{ name: string; n: number }>("SELECT name, count(*) AS n FROM kysely_migration GROUP BY name");
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    } finally {
      await Promise.all(instances.map((i) => i.stop()));
    }
  });

  it("refuses to serve with --no-migrate on a schema older than its code, in one line saying what to run", async () => {
    const res = await runCli(["serve", "--port", "0", "--no-migrate", "--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() }, 20_000);
    expect(res.code).toBe(1);
    expect(expectOneClearLine(res.stderr)).toMatch(/schema is older than this keyservice.*keyservice migrate/);
  });

  it("serves with --no-migrate once `keyservice migrate` has run", async () => {
    expect((await runCli(["migrate", "--db", db.url])).code).toBe(0);
    const instance = await spawnService(["--no-migrate", "--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() });
    await instance.stop();
  });

  it("serves a schema that a newer keyservice already migrated, and says so in its log", async () => {
    expect((await runCli(["migrate", "--db", db.url])).code).toBe(0);
    await db.exec("INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)", "29990101000000_from_the_future", new Date().toISOString());
    const instance = await spawnService(["--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() });
    await instance.stop();
    expect(instance.output()).toContain("29990101000000_from_the_future");
  });
});
