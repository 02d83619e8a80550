#!/usr/bin/env node
// `npm run pulumi -- <args>`: the Pulumi CLI with the same offline engine, backend and passphrase
// as `npm start`, e.g. `npm run pulumi -- stack output --show-secrets ciKey`.
const { spawnSync } = require("node:child_process");
const { ROOT, engineBin, pulumiEnv } = require("./lib/local-stack");

const { status } = spawnSync("pulumi", process.argv.slice(2), { cwd: ROOT, env: pulumiEnv(engineBin()), stdio: "inherit" });
process.exit(status ?? 1);
