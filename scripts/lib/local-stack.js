// The local Pulumi setup shared by `npm start` and `npm run pulumi`: the offline engine, a file
// backend under .pulumi/ and a passphrase, all inside the (git-ignored) work tree.
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");
const STACK = "dev";
const DEFAULT_PASSPHRASE = "keyservice-demo";

/** Builds or reuses the engine (`npm run engine`) and returns its bin directory. */
function engineBin() {
  const out = execFileSync("bash", [path.join(ROOT, "scripts/engine.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return out.trim().split("\n").pop();
}

/** The CLI's environment: the engine on PATH, a file backend and PULUMI_HOME under `dir` (.pulumi/ by default), a passphrase. */
function pulumiEnv(bin, { dir = path.join(ROOT, ".pulumi"), passphrase = process.env.PULUMI_CONFIG_PASSPHRASE ?? DEFAULT_PASSPHRASE } = {}) {
  const state = path.join(dir, "state");
  fs.mkdirSync(state, { recursive: true });
  return {
    ...process.env,
    // The engine, then this Node: the language host and the dynamic-provider plugin run the first
    // `node` on PATH, which must be the one `npm start` runs on (and paired node_modules with).
    PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/** Runs pulumi in the repo root (the quickstart project); returns its exit code and captured stdout. */
function pulumi(env, args, { input, capture = false } = {}) {
  const r = spawnSync("pulumi", args, {
    cwd: ROOT,
    env,
    input: input ?? "",
    encoding: "utf8",
    stdio: ["pipe", capture ? "pipe" : "inherit", "inherit"],
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout ?? "" };
}

function pulumiOk(env, args, opts) {
  const r = pulumi(env, args, opts);
  if (r.code !== 0) throw new Error(`pulumi ${args[0]} ${args[1] ?? ""} failed (exit ${r.code}).`);
  return r;
}

module.exports = { ROOT, STACK, DEFAULT_PASSPHRASE, engineBin, pulumiEnv, pulumi, pulumiOk };
