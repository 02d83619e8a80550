import type { GlobalApiKey, KeyserviceClient } from "@keyservice/sdk";
import { type Cluster, startCluster } from "../helpers/cluster";

/**
 * GET of a key is answered from each instance's memory, and a write answered by A shows in the
 * very next GET on B, though B had the key cached (read twice before each write).
 */
let cluster: Cluster;
let a: KeyserviceClient;
let b: KeyserviceClient;
const ROUNDS = 20;

beforeAll(async () => {
  cluster = await startCluster(2);
  const admin = await cluster.bootstrap("acme");
  a = cluster.client(0, admin, "acme");
  b = cluster.client(1, admin, "acme");
}, 60_000);
afterAll(() => cluster?.close());

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
  for (let i = 0; i < ROUNDS; i++) {
    const deploymentIds = [(await a.deployments.create({ name: `${label}-${i}-a` })).id, (await a.deployments.create({ name: `${label}-${i}-b` })).id].sort();
    const created = await a.globalApiKeys.create({ name: `${label}-${i}`, deploymentIds });
    cluster.ledger.add(created.key);
    const { key: _secret, ...key } = created;
    expect(await b.globalApiKeys.get(key.id)).toEqual(key);
    expect(await b.globalApiKeys.get(key.id)).toEqual(key);
    await write(key, deploymentIds);
    const [onA, onB] = [await shown(a, key.id), await shown(b, key.id)];
    expect(onA).not.toBe(JSON.stringify(key));
    if (onB !== onA) stale++;
  }
  return stale;
}

describe(`a write on instance A, then a GET on instance B (${ROUNDS} rounds each)`, () => {
  it("rename: 0 stale reads", async () => {
    expect(await staleReads("renamed", (key) => a.globalApiKeys.update(key.id, { name: `${key.name}-new` }))).toBe(0);
  });

  it("scope narrowed: 0 stale reads", async () => {
    expect(await staleReads("narrowed", (key, [first]) => a.globalApiKeys.update(key.id, { deploymentIds: [first] }))).toBe(0);
  });

  it("rotation: 0 stale reads", async () => {
    expect(await staleReads("rotated", async (key) => cluster.ledger.add((await a.globalApiKeys.rotate(key.id, { gracePeriodSeconds: 0 })).key))).toBe(0);
  });

  it("a deployment of its scope deleted: 0 stale reads", async () => {
    expect(await staleReads("undeployed", (_key, [, second]) => a.deployments.delete(second))).toBe(0);
  });

  it("deletion: 0 stale reads (B answers 404)", async () => {
    expect(await staleReads("deleted", (key) => a.globalApiKeys.delete(key.id))).toBe(0);
  });
});
