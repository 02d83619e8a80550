import { runCli } from "../helpers/cli";
import { expectNoSecretsIn } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { type SpawnedService, spawnService, testMasterKey } from "../helpers/service";
import { createTestDatabase, type TestDatabase } from "../helpers/store";
import { statusOf } from "../helpers/wait";
import { KeyserviceClient } from "@keyservice/sdk";

/** Operators manage orgs and members with the CLI against a running service, never touching the database. */
const ledger = new SecretLedger();
let db: TestDatabase;
let served: SpawnedService;
let platformToken: string;
const transcript: string[] = [];

/** Runs the CLI with a token in KEYSERVICE_TOKEN (never on the command line) and returns its JSON lines. */
async function cli(args: string[], token: string | undefined, expectCode = 0): Promise<any[]> {
  const res = await runCli(args, { KEYSERVICE_ENDPOINT: served.url, KEYSERVICE_TOKEN: token ?? "" }, 20_000);
  transcript.push(res.stdout, res.stderr);
  if (res.code !== expectCode) throw new Error(`keyservice ${args.join(" ")} exited ${res.code}: ${res.stderr}`);
  return res.stdout.trim() ? res.stdout.trim().split("\n").map((l) => JSON.parse(l)) : [res.stderr];
}

beforeAll(async () => {
  db = await createTestDatabase();
  const env = { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() };
  served = await spawnService(["--db", db.url], env);
  const boot = await runCli(["bootstrap", "--platform-admin", "--name", "ops", "--db", db.url], env);
  expect(boot.code).toBe(0);
  const lines = boot.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  platformToken = ledger.add(JSON.parse(lines[0]).platformAdminToken);
  expect(platformToken).toMatch(/^ks_adm_/);
}, 60_000);
afterAll(async () => {
  await served?.stop();
  await db?.drop();
});

describe("keyservice orgs", () => {
  it("creates, lists, deactivates and reactivates an org", async () => {
    const [created] = await cli(["orgs", "create", "acme", "--name", "Acme"], platformToken);
    ledger.add(created.adminToken);
    expect(created).toMatchObject({ org: { slug: "acme", name: "Acme", isActive: true }, adminToken: expect.stringMatching(/^ks_usr_/) });
    expect((await cli(["orgs", "list"], platformToken)).map((o) => o.slug)).toContain("acme");
    const admin = new KeyserviceClient({ endpoint: served.url, token: created.adminToken, org: "acme", maxAttempts: 1 });
    expect(await statusOf(admin.deployments.list())).toBe(200);
    await expect(cli(["orgs", "deactivate", "acme"], platformToken)).resolves.toEqual([expect.objectContaining({ slug: "acme", isActive: false })]);
    expect(await statusOf(admin.deployments.list())).toBe(401);
    await cli(["orgs", "activate", "acme"], platformToken);
    expect(await statusOf(admin.deployments.list())).toBe(200);
  });

  it("refuses an org admin's token in one line naming the reason", async () => {
    const [created] = await cli(["orgs", "create", "beta"], platformToken);
    ledger.add(created.adminToken);
    const [line] = await cli(["orgs", "list"], created.adminToken, 1);
    expect(line.trim().split("\n")).toHaveLength(1);
    expect(line).toMatch(/^keyservice: .*403 forbidden: Only a platform admin/);
  });

  it("says what is missing when KEYSERVICE_TOKEN is not set", async () => {
    const [line] = await cli(["orgs", "list"], undefined, 1);
    expect(line).toMatch(/^keyservice: No token: set KEYSERVICE_TOKEN/);
  });
});

describe("keyservice members", () => {
  it("creates, lists, rotates the token of, and deletes a member", async () => {
    const [org] = await cli(["orgs", "create", "gamma"], platformToken);
    const adminToken = ledger.add(org.adminToken);
    const [bob] = await cli(["members", "create", "--org", "gamma", "--name", "bob", "--role", "member"], adminToken);
    ledger.add(bob.token);
    expect(bob).toMatchObject({ name: "bob", role: "member", token: expect.stringMatching(/^ks_usr_/) });
    const listed = await cli(["members", "list", "--org", "gamma"], adminToken);
    expect(listed.map((m) => m.name)).toEqual(expect.arrayContaining(["admin", "bob"]));
    expect(JSON.stringify(listed)).not.toMatch(/ks_usr_/);
    const [rotated] = await cli(["members", "rotate-token", bob.id, "--org", "gamma"], adminToken);
    ledger.add(rotated.token);
    const asBob = (token: string) => statusOf(new KeyserviceClient({ endpoint: served.url, token, org: "gamma", maxAttempts: 1 }).deployments.list());
    expect([await asBob(bob.token), await asBob(rotated.token)]).toEqual([401, 200]);
    await cli(["members", "update", bob.id, "--org", "gamma", "--role", "admin"], adminToken);
    await cli(["members", "delete", bob.id, "--org", "gamma"], adminToken);
    expect(await asBob(rotated.token)).toBe(401);
  });
});

describe("secrets", () => {
  it("leaves no secret in the service's logs or database; the CLI prints tokens only where they are issued", async () => {
    expectNoSecretsIn(ledger, { texts: { logs: served.output(), database: await db.dumpText() } });
  });
});
