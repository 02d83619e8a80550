#!/usr/bin/env node
// `npm start`: the main job, offline and without prompts. Starts the embedded key service
// (SQLite under .keyservice/), bootstraps a `demo` org once, runs `pulumi up` of the root
// Pulumi.yaml (examples/quickstart) on a file backend under .pulumi/, shows the outputs, proves
// the issued global key opens its deployment, and stops the service.
const { execFileSync, spawn } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { KeyserviceClient } = require("@keyservice/sdk");
const { ROOT, STACK, DEFAULT_PASSPHRASE, engineBin, pulumiEnv, pulumi, pulumiOk } = require("./lib/local-stack");

const DATA = path.join(ROOT, ".keyservice");
const DB = path.join(DATA, "keyservice.db");
const ADMIN_FILE = path.join(DATA, "demo-admin.json");
const CLI = path.join(ROOT, "service/dist/cli.js");
const ORG = "demo";

function say(text) {
  process.stdout.write(`\n\x1b[1m==> ${text}\x1b[0m\n`);
}

/** Starts `keyservice serve` on a free port; its JSON logs go to .keyservice/service.log. */
function startService() {
  fs.mkdirSync(DATA, { recursive: true });
  const log = fs.openSync(path.join(DATA, "service.log"), "a");
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--db", DB], { stdio: ["ignore", "pipe", log] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("The key service did not start within 15 s; see .keyservice/service.log.")), 15000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      fs.appendFileSync(path.join(DATA, "service.log"), chunk);
      const m = /keyservice listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.on("exit", (code) => reject(new Error(`The key service exited with ${code}; see .keyservice/service.log.`)));
  });
}

function stopService(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

/** The demo org's admin token, made once and kept (mode 600) in the git-ignored .keyservice/. */
function demoAdminToken() {
  if (fs.existsSync(ADMIN_FILE)) return JSON.parse(fs.readFileSync(ADMIN_FILE, "utf8")).adminToken;
  const out = execFileSync(process.execPath, [CLI, "bootstrap", "--org", ORG, "--db", DB], { encoding: "utf8" });
  fs.writeFileSync(ADMIN_FILE, out, { mode: 0o600 });
  say(`Bootstrapped the "${ORG}" org; its admin token is kept in .keyservice/demo-admin.json`);
  return JSON.parse(out).adminToken;
}

async function main() {
  say("Making the Pulumi engine available (npm run engine; the first run compiles it, later runs reuse it)");
  const env = pulumiEnv(engineBin());
  if (!process.env.PULUMI_CONFIG_PASSPHRASE) say(`Using the demo passphrase "${DEFAULT_PASSPHRASE}" (set PULUMI_CONFIG_PASSPHRASE to choose yours)`);

  say("Starting the embedded key service");
  const { url, child } = await startService();
  process.stdout.write(`keyservice listening on ${url} (logs: .keyservice/service.log)\n`);
  try {
    const token = demoAdminToken();
    say(`Configuring stack "${STACK}" (file backend under .pulumi/)`);
    if (pulumi(env, ["stack", "select", STACK], { capture: true }).code !== 0) pulumiOk(env, ["stack", "init", STACK]);
    pulumiOk(env, ["config", "set", "keyservice:endpoint", url]);
    pulumiOk(env, ["config", "set", "keyservice:org", ORG]);
    pulumiOk(env, ["config", "set", "--secret", "keyservice:token"], { input: token });
    if (pulumi(env, ["config", "get", "openaiApiKey"], { capture: true }).code !== 0) {
      // A stand-in for the tenant's real OpenAI key, so the demo runs without one.
      pulumiOk(env, ["config", "set", "--secret", "openaiApiKey"], { input: `sk-demo-${crypto.randomBytes(16).toString("hex")}` });
    }

    say("pulumi up");
    pulumiOk(env, ["up", "--yes"]);

    say("Stack outputs (secrets masked)");
    pulumiOk(env, ["stack", "output"]);

    say("Proving the issued global key opens its deployment");
    const outputs = JSON.parse(pulumiOk(env, ["stack", "output", "--json", "--show-secrets"], { capture: true }).stdout);
    const result = await new KeyserviceClient({ endpoint: url, org: ORG }).deployments.execute(outputs.deployments.invoices, outputs.ciKey);
    process.stdout.write(`POST /api/v1/orgs/${ORG}/deployments/${result.deployment}/execute with the ci key ${outputs.ciKeyHint} -> 200, keyKind "${result.keyKind}"\n`);

    say("Done");
    process.stdout.write(
      [
        "Reveal a secret output:   npm run pulumi -- stack output --show-secrets ciKey",
        "Rotate the ci key:        npm run pulumi -- config set quarter 2027-Q1 && npm start",
        "Run it again:             npm start   (reports no changes)",
        "",
      ].join("\n"),
    );
  } finally {
    await stopService(child);
  }
}

main().catch((err) => {
  process.stderr.write(`npm start failed: ${err.message}\n`);
  process.exit(1);
});
