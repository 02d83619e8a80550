// jest globalTeardown: stops the throwaway PostgreSQL server, if test/setup/postgres.js started one.
const fs = require("node:fs");

module.exports = async function teardown() {
  const started = globalThis.__KEYSERVICE_PG__;
  if (!started) return;
  await started.server.stop();
  fs.rmSync(started.dir, { recursive: true, force: true });
};
