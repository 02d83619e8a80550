import type { GlobalApiKey, KeyserviceClient } from "@keyservice/sdk";
import { type Cluster, clusterSuite, startCluster } from "../helpers/cluster";
import { rawRequest } from "../helpers/http";
import type { SpawnedService } from "../helpers/service";

/**
 * GET of a key is answered from each instance's memory, and a write answered by A shows in the
 * very next GET on B, though B had the key cached (read twice before each write).
 */
const suite = clusterSuite({ KEYSERVICE_METRICS_PORT: "0" });
const ROUNDS = 20;

/** How many GETs of a key an instance has answered from its cache, from its /metrics. */
async function keyCacheHits(instance: SpawnedService): Promise<number> {
  const url = /"url":"(http:[^"]+\/metrics)"/.exec(instance.output())?.[1];
  if (!url) throw new Error(`no metrics URL in the instance's log:\n${instance.output()}`);
  const { origin, pathname } = new URL(url);
  return Number(/^keyservice_key_cache_hits (\d+)$/m.exec((await rawRequest(origin, "GET", pathname)).text)?.[1]);
}

/** The key as a GET shows it, or "404". */
async function shown(client: KeyserviceClient, id: string): Promise<string> {
  try {
    return JSON.stringify(await client.globalApiKeys.get(id));
  } catch (err) {
    if ((err as { httpStatus?: number }).httpStatus === 404) return "404";
    throw err;
  }
}

/**
 * Runs ROUNDS times: a key scoped to two new deployments, cached on B, then `write` on A; counts
 * the GETs on B that still show the key as it was before the write.
 */
async function staleReads(label: string, write: (key: GlobalApiKey, deploymentIds: string[]) => Promise<unknown>): Promise<number> {
  let stale = 0;
  const hitsBefore = await keyCacheHits(suite.cluster.instances[1]);
  for (let i = 0; i < ROUNDS; i++) {
    const deploymentIds = [(await suite.a.deployments.create({ name: `${label}-${i}-a` })).id, (await suite.a.deployments.create({ name: `${label}-${i}-b` })).id].sort();
    const created = await suite.a.globalApiKeys.create({ name: `${label}-${i}`, deploymentIds });
    suite.cluster.ledger.add(created.key);
    const { key: _secret, ...key } = created;
    expect(await suite.b.globalApiKeys.get(key.id)).toEqual(key);
    expect(await suite.b.globalApiKeys.get(key.id)).toEqual(key);
    await write(key, deploymentIds);
    const [onA, onB] = [await shown(suite.a, key.id), await shown(suite.b, key.id)];
    expect(onA).not.toBe(JSON.stringify(key));
    if (onB !== onA) stale++;
  }
  // B answered the second GET of each round from its cache: what the write had to evict.
  expect(await keyCacheHits(suite.cluster.instances[1])).toBeGreaterThanOrEqual(hitsBefore + ROUNDS);
  return stale;
}

describe(`a write on instance A, then a GET on instance B (${ROUNDS} rounds each)`, () => {
  it("rename: 0 stale reads", async () => {
    expect(await staleReads("renamed", (key) => suite.a.globalApiKeys.update(key.id, { name: `${key.name}-new` }))).toBe(0);
  });

  it("scope narrowed: 0 stale reads", async () => {
    expect(await staleReads("narrowed", (key, [first]) => suite.a.globalApiKeys.update(key.id, { deploymentIds: [first] }))).toBe(0);
  });

  it("rotation: 0 stale reads", async () => {
    expect(await staleReads("rotated", async (key) => suite.cluster.ledger.add((await suite.a.globalApiKeys.rotate(key.id, { gracePeriodSeconds: 0 })).key))).toBe(0);
  });

  it("a deployment of its scope deleted: 0 stale reads", async () => {
    expect(await staleReads("undeployed", (_key, [, second]) => suite.a.deployments.delete(second))).toBe(0);
  });

  it("deletion: 0 stale reads (B answers 404)", async () => {
    expect(await staleReads("deleted", (key) => suite.a.globalApiKeys.delete(key.id))).toBe(0);
  });
});

describe("lastUsedAt, written apart by the instance that saw the use", () => {
  let flushing: Cluster;
  afterAll(() => flushing?.close());

  it("shows on B, whose read of the key was cached before the use on A, within its flush intervals", async () => {
    flushing = await startCluster(2, { KEYSERVICE_USAGE_FLUSH_MS: "200" });
    const admin = await flushing.bootstrap("acme");
    const [onA, onB] = [flushing.client(0, admin, "acme"), flushing.client(1, admin, "acme")];
    const deployment = await onA.deployments.create({ name: "used" });
    const key = await onA.globalApiKeys.create({ name: "used", deploymentIds: [deployment.id] });
    flushing.ledger.add(key.key);
    expect((await onB.globalApiKeys.get(key.id)).lastUsedAt).toBeNull();
    await flushing.client(0, undefined, "acme").deployments.execute("used", key.key);
    // A writes it within 200 ms, and B's cached read lives 200 ms: 50 tries, 100 ms apart, are plenty.
    let shown: string | null = null;
    for (let i = 0; i < 50 && shown === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      shown = (await onB.globalApiKeys.get(key.id)).lastUsedAt;
    }
    expect(shown).not.toBeNull();
    expect(shown).toBe((await onA.globalApiKeys.get(key.id)).lastUsedAt);
  }, 60_000);
});
