#!/usr/bin/env node
// `npm run fuzz -- --runs N [--seed S] [--store sqlite|postgres]`: the API fuzz suite (test/fuzz)
// for longer runs than `npm test` makes (10,000 requests per store there, seed fixed).
const { spawnSync } = require("node:child_process");
const { parseArgs } = require("node:util");
const path = require("node:path");

const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" }, seed: { type: "string" }, store: { type: "string" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("fuzz: --runs must be a positive integer");
  process.exit(2);
}
const stores = values.store ? [values.store] : ["sqlite", "postgres"];
const env = { ...process.env, KEYSERVICE_FUZZ_RUNS: String(runs), ...(values.seed ? { KEYSERVICE_FUZZ_SEED: values.seed } : {}) };
const jest = require.resolve("jest/bin/jest");
const args = [jest, "--selectProjects", ...stores, "--testPathPattern", "test/fuzz"];
console.log(`fuzz: ${runs} requests per store (${stores.join(", ")}), seed ${values.seed ?? "fixed (20261124)"}`);
const result = spawnSync(process.execPath, args, { stdio: "inherit", env, cwd: path.join(__dirname, "..") });
process.exit(result.status ?? 1);
