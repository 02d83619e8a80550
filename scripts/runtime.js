#!/usr/bin/env node
// `npm run runtime`: pairs node_modules with the Node that runs this script (npm test, test:core
// and start run it first). Two dependencies differ by runtime:
//   - Node >= 22: the lockfile's versions (the newest @pulumi/pulumi the engine supports, and
//     better-sqlite3 13, whose prebuilt N-API binary ships in its npm package: nothing to compile);
//   - Node 20: @pulumi/pulumi 3.248.0 (3.249+ requires Node 22) and better-sqlite3 12 (13's binary
//     crashes Node 20), compiled against this Node's headers once and cached outside the tree.
// A switch runs `npm install --no-save`: package.json and package-lock.json never change.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const NODE20 = { "@pulumi/pulumi": "3.248.0", "better-sqlite3": "12.11.1" };
const PACKAGES = Object.keys(NODE20);
const CACHE = path.join(process.env.KEYSERVICE_NODE_CACHE || path.join(os.homedir(), ".cache", "keyservice-node"), "better-sqlite3");

const say = (text) => process.stderr.write(`runtime: ${text}\n`);
function die(text) {
  say(`ERROR: ${text}`);
  process.exit(1);
}

/** The versions of the packages that differ by runtime, for a Node major (this one by default). */
function wanted(major = Number(process.versions.node.split(".")[0])) {
  if (major < 20) die(`Node ${major} is not supported: use Node 20, 22 or 24 (scripts/with-node.sh 22 <command> fetches one).`);
  if (major < 22) return NODE20;
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  return Object.fromEntries(PACKAGES.map((name) => [name, lock.packages[`node_modules/${name}`].version]));
}

function installed(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

// Child processes (npm, node-gyp, the probe) run on this Node, with its headers when they sit beside it.
const nodeDir = path.dirname(path.dirname(process.execPath));
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
if (fs.existsSync(path.join(nodeDir, "include", "node", "node.h"))) env.npm_config_nodedir = nodeDir;

/** Runs npm on this Node: under `npm run`, the npm that started us; otherwise the npm on PATH. */
function npm(args, extraEnv = {}) {
  const cli = process.env.npm_execpath || which("npm");
  const r = spawnSync(process.execPath, [cli, ...args, "--no-audit", "--no-fund"], { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ["ignore", "ignore", "inherit"] });
  return r.status === 0;
}

/** Whether better-sqlite3 opens a database in a child process (a wrong binary may crash, not throw). */
function sqliteWorks() {
  const probe = "const D = require('better-sqlite3'); const db = new D(':memory:'); db.prepare('select 1').get(); db.close();";
  return spawnSync(process.execPath, ["-e", probe], { cwd: ROOT, env, stdio: "ignore" }).status === 0;
}

/** better-sqlite3 12 is compiled by node-gyp: reuse this Node ABI's binary from the cache, else build and cache it. */
function pairSqliteBinary(version) {
  const target = path.join(ROOT, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
  const cached = path.join(CACHE, `${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.node`);
  if (fs.existsSync(cached)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(cached, target);
    if (sqliteWorks()) return;
  }
  say(`compiling better-sqlite3 ${version} for Node ${process.version} (about 2 min, once per Node ABI)...`);
  // From source: the prebuilt download would need GitHub, which this network does not reach.
  const t0 = Date.now();
  if (!npm(["rebuild", "better-sqlite3"], { npm_config_build_from_source: "true" })) die(`compiling better-sqlite3 ${version} failed (a C++ toolchain, python3 and Node's headers are needed).`);
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = `${cached}.${process.pid}`;
  fs.copyFileSync(target, tmp);
  fs.renameSync(tmp, cached);
  say(`compiled in ${Math.round((Date.now() - t0) / 1000)} s; cached as ${cached}`);
}

function which(cmd) {
  for (const dir of env.PATH.split(path.delimiter)) {
    const file = path.join(dir, cmd);
    if (fs.existsSync(file)) return fs.realpathSync(file);
  }
  die(`${cmd} is not on PATH.`);
}

function main() {
  const want = wanted();
  const stale = PACKAGES.filter((name) => installed(name) !== want[name]);
  if (stale.length) {
    const t0 = Date.now();
    const specs = PACKAGES.map((name) => `${name}@${want[name]}`);
    say(`pairing node_modules with Node ${process.version}: ${specs.join(", ")} (was ${stale.map((n) => `${n}@${installed(n) ?? "none"}`).join(", ")})`);
    // Scripts off: better-sqlite3 12 is compiled (or taken from the cache) below, on purpose.
    if (!npm(["install", "--no-save", "--ignore-scripts", "--loglevel=error", ...specs])) die(`npm install --no-save ${specs.join(" ")} failed.`);
    for (const name of PACKAGES) if (installed(name) !== want[name]) die(`${name} is ${installed(name)} after the install, not ${want[name]}.`);
    say(`switched in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (!sqliteWorks()) {
    if (want["better-sqlite3"].startsWith("12.")) pairSqliteBinary(want["better-sqlite3"]);
    if (!sqliteWorks()) die(`better-sqlite3 ${want["better-sqlite3"]} does not load on Node ${process.version}.`);
  }
}

module.exports = { wanted };
if (require.main === module) main();
