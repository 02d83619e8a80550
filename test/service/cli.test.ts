import { KeyserviceClient } from "@keyservice/sdk";
import { runCli } from "../helpers/cli";
import { pollUntil } from "../helpers/wait";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { SecretLedger } from "../helpers/secrets";
import { spawnService, type SpawnedService, testMasterKey } from "../helpers/service";
import { createTestDatabase, type TestDatabase } from "../helpers/store";

const ledger = new SecretLedger();

/** Runs the CLI to completion; never hangs a test (a serve that wrongly starts is killed). */
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, env, 15_000);

function bootstrapLine(stdout: string): { org: string; adminToken: string } {
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  const result = JSON.parse(lines[0]) as { org: string; adminToken: string };
  ledger.add(result.adminToken);
  return result;
}

let db: TestDatabase;
// PostgreSQL refuses to start without a master key; on SQLite the service makes a development one.
let masterKeys: NodeJS.ProcessEnv = {};
let served: SpawnedService;

beforeAll(async () => {
  db = await createTestDatabase();
  if (db.kind === "postgres") masterKeys = { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() };
  served = await spawnService(["--host", "127.0.0.1", "--db", db.url], masterKeys);
});
afterAll(async () => {
  if (served) await served.stop();
  await db?.drop();
});

describe("keyservice serve", () => {
  it("prints the URL it listens on, on the host asked for", () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.output()).toContain(`keyservice listening on ${served.url}\n`);
  });

  it("answers GET /healthz with 200", async () => {
    await expect(new KeyserviceClient({ endpoint: served.url }).health()).resolves.toEqual({ status: "ok" });
  });

  it("writes its logs as JSON lines, one per request with method, route pattern, status and duration", async () => {
    await expect(new KeyserviceClient({ endpoint: served.url, org: "no-such-org", maxAttempts: 1 }).deployments.list()).rejects.toMatchObject({ httpStatus: 401 });
    // The line is written once the answer is sent: wait for it to come through the pipe.
    await pollUntil(async () => served.output(), (out) => out.includes('"route":"/api/v1/orgs/:org/deployments"'), { what: "the request's log line" });
    const lines = served.output().trim().split("\n").filter((l) => !l.startsWith("keyservice listening on "));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "request");
    expect(requests).toContainEqual(expect.objectContaining({ level: 30, method: "GET", route: "/api/v1/orgs/:org/deployments", status: 401, ms: expect.any(Number) }));
  });

  it("shuts down cleanly on SIGTERM, exiting 0", async () => {
    const otherDb = await createTestDatabase();
    const other = await spawnService(["--db", otherDb.url], masterKeys);
    const code = await other.stop("SIGTERM");
    await otherDb.drop();
    expect(code).toBe(0);
    const shutdown = other
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg?: string; signal?: string })
      .find((l) => l.msg === "shutting down");
    expect(shutdown?.signal).toBe("SIGTERM");
    await expect(new KeyserviceClient({ endpoint: other.url, maxAttempts: 1 }).health()).rejects.toMatchObject({ code: "unavailable" });
  });

  it("rejects a --port that is not a port", async () => {
    const result = await cli(["serve", "--port", "http", "--db", db.url], masterKeys);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('"http" is not a port');
  });

  it.each(["KEYSERVICE_AUTH_FAILURE_LIMIT", "KEYSERVICE_AUTH_FAILURE_WINDOW_MS"])("refuses to start when %s is not a whole number, rather than not limiting", async (name) => {
    const result = await cli(["serve", "--port", "0", "--db", db.url], { ...masterKeys, [name]: "lots" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${name}="lots"`);
    expect(result.stdout).not.toContain("keyservice listening on");
  });

  it("refuses --db :memory: when NODE_ENV=production", async () => {
    const result = await cli(["serve", "--port", "0", "--db", ":memory:"], { NODE_ENV: "production" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("NODE_ENV=production refuses an in-memory database");
    expect(result.stdout).not.toContain("keyservice listening on");
  });
});

describe("keyservice bootstrap", () => {
  it("bootstraps an org while serve runs on the same database, printing one JSON line", async () => {
    const slug = uniqueName("cli");
    const result = await cli(["bootstrap", "--org", slug, "--db", db.url], masterKeys);
    expect(result.code).toBe(0);
    const { org, adminToken } = bootstrapLine(result.stdout);
    expect(org).toBe(slug);
    expect(adminToken).toMatch(/^ks_usr_/);
    // The running server sees the new org and admin at once.
    const admin = new KeyserviceClient({ endpoint: served.url, token: adminToken, org: slug });
    const created = await admin.deployments.create({ name: "first" });
    expect(created.name).toBe("first");
    expect(await db.query("SELECT u.role FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.slug = ?", slug)).toEqual([{ role: "admin" }]);
  });

  it("bootstraps a second admin into an existing org without touching the first", async () => {
    const slug = uniqueName("cli");
    const first = bootstrapLine((await cli(["bootstrap", "--org", slug, "--db", db.url], masterKeys)).stdout);
    const second = bootstrapLine((await cli(["bootstrap", "--org", slug, "--db", db.url], masterKeys)).stdout);
    expect(second.adminToken).not.toBe(first.adminToken);
    expect(await db.count("SELECT count(*) FROM orgs WHERE slug = ?", slug)).toBe(1);
    expect(await db.count("SELECT count(*) FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.slug = ? AND u.role = 'admin'", slug)).toBe(2);
    for (const token of [first.adminToken, second.adminToken]) {
      await expect(new KeyserviceClient({ endpoint: served.url, token, org: slug }).deployments.list()).resolves.toEqual({ items: [], nextCursor: null });
    }
  });

  it("refuses an invalid org slug with a message naming --org", async () => {
    const result = await cli(["bootstrap", "--org", "Not A Slug", "--db", db.url], masterKeys);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('--org "Not A Slug" is not a valid org slug');
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or its output", async () => {
    await expectNoSecretsInService(ledger, { dir: db.dir, db, logs: () => served.output() });
  });
});
