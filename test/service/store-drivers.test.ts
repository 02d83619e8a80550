import { execFileSync } from "node:child_process";
import { openStore } from "@keyservice/service";
import { sql } from "kysely";
import { testMasterKey } from "../helpers/service";
import { createTestDatabase, type TestDatabase, testStoreKind } from "../helpers/store";

/**
 * A `keyservice serve` process loads the driver of its store only: pg costs a SQLite process memory of
 * its own, and better-sqlite3 a PostgreSQL one. Nor does it load the sdk's HTTP client (node-fetch
 * and its URL tables, about 2.5 MB of heap): the service uses only the sdk's contract. Checked in a process of its own (jest's shares
 * its module registry with other suites).
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** The drivers (and HTTP client) a fresh process has loaded once it served on the store (migrations, the cache's bus, a request) and stopped. */
function driversLoadedFor(url: string): string[] {
  const script = `
    const { PassThrough } = require("node:stream");
    const { resolveConfig, startService } = require("@keyservice/service");
    (async () => {
      const config = resolveConfig({ db: process.env.STORE_URL, port: 0, host: "127.0.0.1", logLevel: "warn", env: process.env });
      const service = await startService(config, new PassThrough().resume());
      if ((await fetch(service.url + "/readyz")).status !== 200) throw new Error("not ready");
      await service.close();
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify(["pg", "better-sqlite3", "node-fetch"].filter((d) => loaded.some((p) => p.includes("/node_modules/" + d + "/")))));
    })().catch((err) => { console.error(err); process.exit(1); });`;
  const env = { ...process.env, STORE_URL: url, KEYSERVICE_ENCRYPTION_KEYS: testMasterKey() };
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8" }));
}

it(`loads only its own store's driver, and no HTTP client (${testStoreKind()})`, () => {
  expect(driversLoadedFor(db.url)).toEqual([testStoreKind() === "postgres" ? "pg" : "better-sqlite3"]);
});

if (testStoreKind() === "sqlite") {
  // better-sqlite3 builds SQLite with a 16 MiB page cache per connection: filling the credential
  // cache with 100,000 keys made all of it resident (the service's native heap 5 → 22 MB).
  it("keeps SQLite's page cache at 2 MiB", async () => {
    const store = openStore({ url: db.url });
    try {
      const { rows } = await sql<{ cacheSize: number }>`pragma cache_size`.execute(store.db);
      expect(rows).toEqual([{ cacheSize: -2048 }]);
    } finally {
      await store.close();
    }
  });
}
