import { KeyserviceClient, KeyserviceError } from "@keyservice/sdk";
import { bootstrapOrg, openStore } from "@keyservice/service";
import { SecretLedger } from "../helpers/secrets";
import { type SpawnedService, spawnService, testMasterKey } from "../helpers/service";
import { createTestDatabase, type TestDatabase } from "../helpers/store";

/** A service killed with SIGKILL during a write load: every write it acknowledged with a 2xx is there after restart. */
const ledger = new SecretLedger();
let db: TestDatabase;
let service: SpawnedService | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

it("keeps every acknowledged write when the service is killed mid-load (3 kills)", async () => {
  const env = { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() };
  let adminToken = "";
  const acknowledged: { name: string; id: string }[] = [];
  let refused = 0;
  for (let round = 0; round < 3; round++) {
    service = await spawnService(["--db", db.url], env);
    if (round === 0) {
      const store = openStore({ url: db.url });
      adminToken = ledger.add((await bootstrapOrg(store, "acme")).adminToken);
      await store.close();
    }
    const admin = new KeyserviceClient({ endpoint: service.url, token: adminToken, org: "acme", maxAttempts: 1 });
    let running = true;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; running; i++) {
        const name = `r${round}-w${w}-${i}`;
        try {
          const key = await admin.globalApiKeys.create({ name, allowAllDeployments: true });
          ledger.add(key.key);
          acknowledged.push({ name, id: key.id });
        } catch (err) {
          if (!(err instanceof KeyserviceError)) throw err;
          // Only the kill itself may end a request: no 4xx or 5xx answer is expected.
          if (err.httpStatus !== 0) throw err;
          refused++;
          return;
        }
      }
    });
    // Load until some writes were acknowledged (a slow machine takes longer), then kill at a random moment.
    const started = acknowledged.length;
    while (acknowledged.length < started + 5) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, Math.random() * 700));
    await service.stop("SIGKILL");
    running = false;
    await Promise.all(writers);
  }
  service = await spawnService(["--db", db.url], env);
  const admin = new KeyserviceClient({ endpoint: service.url, token: adminToken, org: "acme" });
  const stored = new Map<string, string>();
  for (let cursor: string | undefined; ; ) {
    const page = await admin.globalApiKeys.list({ limit: 100, cursor });
    for (const key of page.items) stored.set(key.name, key.id);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  expect(acknowledged.length).toBeGreaterThanOrEqual(15);
  expect(refused).toBeGreaterThan(0);
  expect(acknowledged.filter((a) => stored.get(a.name) !== a.id)).toEqual([]);
  // Each stored key is whole: its credential is there too (nothing half-written).
  expect(await db.count("SELECT count(*) FROM api_keys k WHERE NOT EXISTS (SELECT 1 FROM credentials c WHERE c.owner_id = k.id)")).toBe(0);
});
