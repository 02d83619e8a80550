import { clusterSuite } from "../helpers/cluster";
import { expectNoSecretsIn } from "../helpers/leaks";
import { statusOf, waitUntilPast } from "../helpers/wait";

/**
 * Revocation is immediate on every instance: a write answered by A is in force on B for the very
 * next request, though B serves credentials from its cache (warmed before each write).
 */
// Every refused use below is a failed authentication from 127.0.0.1: keep the limiter out of the way.
const suite = clusterSuite({ KEYSERVICE_AUTH_FAILURE_LIMIT: "1000000" });
let deploymentName: string;
let deploymentId: string;
const ROUNDS = 100;

beforeAll(async () => {
  ({ name: deploymentName, id: deploymentId } = await suite.a.deployments.create({ name: "target" }));
});

/** Opens the deployment on B with a key; B caches the credential on the first call. */
const executeOnB = (key: string) => statusOf(suite.b.deployments.execute(deploymentName, key));

/** Creates a key on A and uses it twice on B, so B's cache holds it before the write under test. */
async function warmKey(name: string, extra: { expiresAt?: string } = {}) {
  const key = await suite.a.globalApiKeys.create({ name, deploymentIds: [deploymentId], ...extra });
  suite.cluster.ledger.add(key.key);
  expect(await executeOnB(key.key)).toBe(200);
  expect(await executeOnB(key.key)).toBe(200);
  return key;
}

/** Runs `revoke` on A then uses the key on B, ROUNDS times; returns how many uses B wrongly accepted. */
async function staleAcceptances(label: string, revoke: (id: string) => Promise<unknown>): Promise<number> {
  let stale = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const key = await warmKey(`${label}-${i}`);
    await revoke(key.id);
    if ((await executeOnB(key.key)) !== 401) stale++;
  }
  return stale;
}

describe("a write on instance A, then a use on instance B (100 rounds each)", () => {
  it("delete: 0 stale acceptances", async () => {
    expect(await staleAcceptances("deleted", (id) => suite.a.globalApiKeys.delete(id))).toBe(0);
  });

  it("deactivate: 0 stale acceptances", async () => {
    expect(await staleAcceptances("deactivated", (id) => suite.a.globalApiKeys.update(id, { isActive: false }))).toBe(0);
  });

  it("rotate with zero grace: 0 stale acceptances of the old secret", async () => {
    expect(await staleAcceptances("rotated", async (id) => suite.cluster.ledger.add((await suite.a.globalApiKeys.rotate(id, { gracePeriodSeconds: 0 })).key))).toBe(0);
  });

  it("expiry moved into the past: 0 stale acceptances", async () => {
    expect(await staleAcceptances("shortened", (id) => suite.a.globalApiKeys.update(id, { expiresAt: "2001-01-01T00:00:00Z" }))).toBe(0);
  });

  it("scope narrowed to another deployment: 0 stale acceptances", async () => {
    const other = await suite.a.deployments.create({ name: "other" });
    expect(await staleAcceptances("narrowed", (id) => suite.a.globalApiKeys.update(id, { deploymentIds: [other.id] }))).toBe(0);
  });

  it("an expiry that passes with no write at all: every cached key is refused on B once it has passed", async () => {
    // Every key must be cached on B before the instant passes: a slow machine gets a longer window.
    for (let windowMs = 4000; windowMs <= 64_000; windowMs *= 2) {
      const expiresAt = new Date(Date.now() + windowMs).toISOString();
      const keys: string[] = [];
      let warmed = true;
      for (let i = 0; i < ROUNDS && warmed; i++) {
        const key = await suite.a.globalApiKeys.create({ name: `expiring-${windowMs}-${i}`, deploymentIds: [deploymentId], expiresAt });
        keys.push(suite.cluster.ledger.add(key.key));
        warmed = (await executeOnB(key.key)) === 200 && Date.now() < Date.parse(expiresAt) - 100;
      }
      if (!warmed) continue;
      await waitUntilPast(expiresAt);
      const accepted = (await Promise.all(keys.map((k) => executeOnB(k)))).filter((s) => s !== 401);
      expect(accepted).toEqual([]);
      return;
    }
    throw new Error("Could not cache the keys on B before they expired, even with a 64 s window.");
  });

  it("a platform key deleted on A is refused by B's management API at once", async () => {
    let stale = 0;
    for (let i = 0; i < 20; i++) {
      const key = await suite.a.platformApiKeys.create({ name: `pak-${i}`, permission: "read" });
      suite.cluster.ledger.add(key.key);
      const onB = suite.cluster.client(1, key.key, "acme");
      expect(await statusOf(onB.deployments.list())).toBe(200);
      await suite.a.platformApiKeys.delete(key.id);
      if ((await statusOf(onB.deployments.list())) !== 401) stale++;
    }
    expect(stale).toBe(0);
  });

  it("member removal: 0 stale acceptances of its token on B", async () => {
    let stale = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const member = await suite.a.members.create({ name: `member-${i}`, role: "member" });
      suite.cluster.ledger.add(member.token);
      const onB = suite.cluster.client(1, member.token, "acme");
      expect(await statusOf(onB.deployments.list())).toBe(200);
      expect(await statusOf(onB.deployments.list())).toBe(200);
      await suite.a.members.delete(member.id);
      if ((await statusOf(onB.deployments.list())) !== 401) stale++;
    }
    expect(stale).toBe(0);
  });

  it("member token rotated with zero grace: 0 stale acceptances of the old token on B", async () => {
    let stale = 0;
    for (let i = 0; i < 20; i++) {
      const member = await suite.a.members.create({ name: `rotating-${i}`, role: "member" });
      suite.cluster.ledger.add(member.token);
      const onB = suite.cluster.client(1, member.token, "acme");
      expect(await statusOf(onB.deployments.list())).toBe(200);
      suite.cluster.ledger.add((await suite.a.members.rotateToken(member.id)).token);
      if ((await statusOf(onB.deployments.list())) !== 401) stale++;
    }
    expect(stale).toBe(0);
  });

  it("an org deactivated on A: every credential of it is refused on B at once, and works again once reactivated", async () => {
    const platform = suite.cluster.client(0, await suite.cluster.platformAdmin(), "");
    const created = await platform.admin.orgs.create({ slug: "tenant" });
    suite.cluster.ledger.add(created.adminToken);
    const tenant = suite.cluster.client(0, created.adminToken, "tenant");
    await tenant.deployments.create({ name: "d" });
    const key = suite.cluster.ledger.add((await tenant.globalApiKeys.create({ name: "g", allowAllDeployments: true })).key);
    const onB = () => Promise.all([statusOf(suite.cluster.client(1, created.adminToken, "tenant").deployments.list()), statusOf(suite.cluster.client(1, undefined, "tenant").deployments.execute("d", key))]);
    for (let i = 0; i < 20; i++) {
      expect(await onB()).toEqual([200, 200]);
      await platform.admin.orgs.update("tenant", { isActive: false });
      expect(await onB()).toEqual([401, 401]);
      await platform.admin.orgs.update("tenant", { isActive: true });
    }
  });

  it("a deployment deactivated on A is refused by B at once, and opens again once reactivated", async () => {
    const dep = await suite.a.deployments.create({ name: "toggled" });
    const key = await suite.a.deployments.keys.create(dep.id);
    suite.cluster.ledger.add(key.key);
    for (let i = 0; i < 20; i++) {
      expect(await statusOf(suite.b.deployments.execute("toggled", key.key))).toBe(200);
      await suite.a.deployments.update(dep.id, { isActive: false });
      expect(await statusOf(suite.b.deployments.execute("toggled", key.key))).toBe(401);
      await suite.a.deployments.update(dep.id, { isActive: true });
    }
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or either instance's logs", async () => {
    expectNoSecretsIn(suite.cluster.ledger, { texts: { logs: suite.cluster.output(), database: await suite.cluster.db.dumpText() } });
  });
});
