import { KeyserviceClient, KeyserviceError } from "@keyservice/sdk";
import { bootstrapOrg, openStore } from "@keyservice/service";
import { rawRequest } from "../helpers/http";
import { PrivatePostgres } from "../helpers/private-postgres";
import { SecretLedger } from "../helpers/secrets";
import { type SpawnedService, spawnService, testMasterKey } from "../helpers/service";
import { attachTestDatabase } from "../helpers/store";
import { pollUntil } from "../helpers/wait";

/**
 * PostgreSQL restarted in the middle of a load: requests during the outage get 503 `unavailable`
 * with Retry-After, the service recovers by itself, and no write it acknowledged is lost.
 */
let pg: PrivatePostgres;
let service: SpawnedService;
const ledger = new SecretLedger();

beforeAll(async () => {
  pg = await PrivatePostgres.create();
}, 60_000);
afterAll(async () => {
  await service?.stop();
  await pg?.destroy();
});

interface Outcome {
  status: number;
  code?: string;
  retryAfter?: string;
}

it("answers 503 unavailable with Retry-After while the store is down, recovers on its own, and loses no acknowledged write", async () => {
  const url = pg.url();
  service = await spawnService(["--db", url], { KEYSERVICE_ENCRYPTION_KEYS: testMasterKey(), KEYSERVICE_AUTH_FAILURE_LIMIT: "1000000" });
  const store = openStore({ url });
  const adminToken = ledger.add((await bootstrapOrg(store, "acme")).adminToken);
  await store.close();
  const admin = new KeyserviceClient({ endpoint: service.url, token: adminToken, org: "acme", maxAttempts: 1 });
  const dep = await admin.deployments.create({ name: "hot" });
  const key = ledger.add((await admin.globalApiKeys.create({ name: "hot-key", deploymentIds: [dep.id] })).key);

  const acknowledged: string[] = [];
  const outcomes: Outcome[] = [];
  let running = true;
  const record = async (call: Promise<unknown>) => {
    try {
      await call;
      outcomes.push({ status: 200 });
    } catch (err) {
      if (!(err instanceof KeyserviceError)) throw err;
      outcomes.push({ status: err.httpStatus, code: err.code });
      // As a client honouring Retry-After would, only sooner: keeps the load from spinning.
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  // Four writers and two readers, without retries, so every answer counts.
  const writers = [0, 1, 2, 3].map(async (w) => {
    for (let i = 0; running; i++) {
      const name = `w${w}-${i}`;
      await record(admin.deployments.create({ name }).then(() => acknowledged.push(name)));
    }
  });
  const readers = [0, 1].map(async () => {
    while (running) await record(admin.deployments.execute("hot", key));
  });

  try {
  await new Promise((r) => setTimeout(r, 800));
  await pg.stop("fast");
  // During the outage: the answers are 503 with the error shape and Retry-After; /readyz says so; /healthz stays up.
  const down = await pollUntil(() => rawRequest(service.url, "GET", "/api/v1/orgs/acme/deployments", { headers: { authorization: `Bearer ${adminToken}` } }), (r) => r.status === 503, { what: "a 503 while the store is down" });
  expect(down.json).toEqual({ error: { code: "unavailable", message: expect.any(String) } });
  expect(Number(down.headers["retry-after"])).toBeGreaterThan(0);
  expect((await rawRequest(service.url, "GET", "/readyz")).status).toBe(503);
  expect((await rawRequest(service.url, "GET", "/healthz")).status).toBe(200);
  await new Promise((r) => setTimeout(r, 1000));
  await pg.start();
  await pollUntil(() => rawRequest(service.url, "GET", "/readyz"), (r) => r.status === 200, { what: "/readyz to recover", timeoutMs: 15_000 });
  const afterRestart = acknowledged.length;
  await pollUntil(async () => acknowledged.length, (n) => n > afterRestart + 20, { what: "writes to succeed again", timeoutMs: 15_000 });
  } finally {
    running = false;
    await Promise.all([...writers, ...readers]);
  }

  // Only 2xx, 503 unavailable (and nothing else) was ever answered.
  const unexpected = outcomes.filter((o) => o.status !== 200 && !(o.status === 503 && o.code === "unavailable"));
  expect(unexpected).toEqual([]);
  expect(outcomes.filter((o) => o.status === 503).length).toBeGreaterThan(0);
  // Every acknowledged write is in the store.
  const db = attachTestDatabase(url, "");
  const stored = new Set((await db.query<{ name: string }>("SELECT name FROM deployments")).map((r) => r.name));
  await db.close();
  expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
  expect(ledger.foundIn(service.output())).toEqual([]);
});
