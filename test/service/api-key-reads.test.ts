import { newOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

/**
 * GET of a global or platform key is answered from memory once read, and never shows a key as it
 * was before a write: each write evicts it (across instances too: test/cluster/key-reads).
 */
const suite = serviceSuite();

/** Store reads and cache answers of key GETs so far, read from the process itself. */
const reads = () => ({ misses: suite.svc.app.cache.keyMisses, hits: suite.svc.app.cache.keyHits });

async function scopedKey(deploymentIds: string[]) {
  const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("read"), deploymentIds });
  suite.ledger.add(key.key);
  return key;
}

it("answers 20 GETs of a global key and 20 of a platform key with one store read each", async () => {
  const dep = await suite.org.deployment();
  const global = await scopedKey([dep.id]);
  const platform = await suite.org.admin.platformApiKeys.create({ name: uniqueName("read"), permission: "read" });
  suite.ledger.add(platform.key);
  const before = reads();
  for (let i = 0; i < 20; i++) {
    expect(await suite.org.admin.globalApiKeys.get(global.id)).toMatchObject({ id: global.id, deploymentIds: [dep.id] });
    expect(await suite.org.admin.platformApiKeys.get(platform.id)).toMatchObject({ id: platform.id, permission: "read" });
  }
  const after = reads();
  expect({ misses: after.misses - before.misses, hits: after.hits - before.hits }).toEqual({ misses: 2, hits: 38 });
});

it("shows each write at the next GET: rename, scope, deactivation, rotation, a deployment of its scope deleted, deletion", async () => {
  const [first, second] = [await suite.org.deployment(), await suite.org.deployment()];
  const key = await scopedKey([first.id, second.id]);
  const get = async () => {
    const shown = await suite.org.admin.globalApiKeys.get(key.id);
    expect(await suite.org.admin.globalApiKeys.get(key.id)).toEqual(shown); // the second GET is the cached one
    return shown;
  };
  await get();
  await suite.org.admin.globalApiKeys.update(key.id, { name: "renamed-read" });
  expect((await get()).name).toBe("renamed-read");
  await suite.org.admin.globalApiKeys.update(key.id, { deploymentIds: [first.id] });
  expect((await get()).deploymentIds).toEqual([first.id]);
  await suite.org.admin.globalApiKeys.update(key.id, { deploymentIds: [first.id, second.id] });
  expect((await get()).deploymentIds).toEqual([first.id, second.id].sort());
  await suite.org.admin.globalApiKeys.update(key.id, { isActive: false });
  expect((await get()).isActive).toBe(false);
  suite.ledger.add((await suite.org.admin.globalApiKeys.rotate(key.id, { gracePeriodSeconds: 0 })).key);
  expect((await get()).version).toBe(2);
  await suite.org.admin.deployments.delete(second.id);
  expect((await get()).deploymentIds).toEqual([first.id]);
  await suite.org.admin.globalApiKeys.delete(key.id);
  await expect(suite.org.admin.globalApiKeys.get(key.id)).rejects.toMatchObject({ status: 404 });
});

it("shows lastUsedAt once this instance wrote it, though the key's read was cached before the use", async () => {
  const dep = await suite.org.deployment();
  const key = await scopedKey([dep.id]);
  expect((await suite.org.admin.globalApiKeys.get(key.id)).lastUsedAt).toBeNull();
  await suite.org.admin.deployments.execute(dep.name, key.key);
  await suite.svc.app.usage.flush();
  expect(Date.parse(String((await suite.org.admin.globalApiKeys.get(key.id)).lastUsedAt))).not.toBeNaN();
});

it("finds a cached key only in its own org and under its own kind", async () => {
  const dep = await suite.org.deployment();
  const key = await scopedKey([dep.id]);
  await suite.org.admin.globalApiKeys.get(key.id);
  await expect(suite.org.admin.platformApiKeys.get(key.id)).rejects.toMatchObject({ status: 404 });
  const other = await newOrg(suite.svc, suite.ledger, "read-other");
  await expect(other.admin.globalApiKeys.get(key.id)).rejects.toMatchObject({ status: 404 });
});

it("keeps no read that raced a write's invalidation, and none after the cache is flushed", async () => {
  const { app } = suite.svc;
  const dep = await suite.org.deployment();
  const key = await scopedKey([dep.id]);
  const org = (await suite.org.admin.globalApiKeys.get(key.id)) && app.cache.keys.get(key.id)?.row.orgId;
  expect(org).toBeDefined();
  app.cache.keys.clear();
  // The read starts, then a write elsewhere publishes: what it read may predate that write.
  const racing = app.apiKeys.get(org!, "global", key.id);
  app.cache.invalidate(["o:another-key"]);
  await racing;
  expect(app.cache.keys.get(key.id)).toBeUndefined();
  await app.apiKeys.get(org!, "global", key.id);
  expect(app.cache.keys.get(key.id)).toBeDefined();
  // Everything goes at once on a flush (the `*` tag, or a reconnect of the PostgreSQL listener).
  app.cache.invalidate(["*"]);
  expect(app.cache.keys.size).toBe(0);
});
