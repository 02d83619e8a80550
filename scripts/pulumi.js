#!/usr/bin/env node
// `npm run pulumi -- <args>`: the Pulumi CLI with the same offline engine, backend and passphrase
// as `npm start`, e.g. `npm run pulumi -- stack output --show-secrets ciKey`.
const { engineBin, pulumiEnv, pulumi } = require("./lib/local-stack");

const env = pulumiEnv(engineBin());
const { code } = require("node:child_process").spawnSync("pulumi", process.argv.slice(2), { cwd: require("./lib/local-stack").ROOT, env, stdio: "inherit" });
process.exit(code ?? 1);
void pulumi;
