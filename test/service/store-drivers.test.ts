import { execFileSync } from "node:child_process";
import { createTestDatabase, type TestDatabase, testStoreKind } from "../helpers/store";

/**
 * A `keyservice` process loads the driver of its store only: pg costs a SQLite process memory of
 * its own, and better-sqlite3 a PostgreSQL one. Checked in a process of its own (jest's shares
 * its module registry with other suites).
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** The drivers a fresh process has loaded once it opened the store, pinged it and closed it. */
function driversLoadedFor(url: string): string[] {
  const script = `
    const { openStore } = require("@keyservice/service");
    const store = openStore({ url: process.env.STORE_URL });
    store.ping().then(() => store.close()).then(() => {
      const loaded = Object.keys(require.cache);
      console.log(JSON.stringify(["pg", "better-sqlite3"].filter((d) => loaded.some((p) => p.includes("/node_modules/" + d + "/")))));
    });`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { ...process.env, STORE_URL: url }, encoding: "utf8" }));
}

it(`loads only its own store's driver (${testStoreKind()})`, () => {
  expect(driversLoadedFor(db.url)).toEqual([testStoreKind() === "postgres" ? "pg" : "better-sqlite3"]);
});
