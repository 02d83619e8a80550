// `npm run bench -- --provider`: the provider through the real engine against a real
// `keyservice serve` (SQLite), in one run, repeated and interleaved:
//   (a) `pulumi up` of N no-op dynamic resources shaped like GlobalApiKeys (the baseline),
//   (b) `pulumi up` of N GlobalApiKeys,
//   (c) rotating all N (one rotationTriggers value changed),
// then (d) `pulumi preview` of the unchanged key stack, with the requests the service counted
// during each step (/metrics keyservice_http_requests_total).
//   npm run bench -- --provider [--resources 100] [--runs 3] [--keep]
// Wall-clock time of each `pulumi` command (program, engine, provider), on a file backend.
const { spawn } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { KeyserviceClient } = require("@keyservice/sdk");
const { bootstrapOrg, openStore } = require("@keyservice/service");
const { engineBin } = require("../lib/local-stack");
const { startKeyservice } = require("./servers");

const REPO = path.resolve(__dirname, "../..");
const PROGRAMS = path.join(__dirname, "programs");

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const log = (text) => process.stderr.write(`bench: ${text}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Every keyservice_http_requests_total sample, by "METHOD route". */
async function requestsByRoute(metricsUrl) {
  const text = await (await fetch(metricsUrl)).text();
  const counts = {};
  for (const m of text.matchAll(/^keyservice_http_requests_total\{([^}]*)\} (\d+)$/gm)) {
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const key = `${labels.method} ${labels.route}`;
    counts[key] = (counts[key] ?? 0) + Number(m[2]);
  }
  return counts;
}

function difference(after, before) {
  const d = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) d[k] = v - (before[k] ?? 0);
  return d;
}

const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const describe = (counts) => Object.entries(counts).map(([k, v]) => `${v} × ${k}`).join(", ") || "none";

/** A stack of one of the bench programs, in a copy inside the repo (so it resolves the repo's node_modules). */
class Stack {
  constructor(work, env, program, name) {
    this.dir = path.join(work, name);
    fs.cpSync(path.join(PROGRAMS, program), this.dir, { recursive: true });
    this.env = env;
    this.name = name;
  }

  run(args, stdin = "") {
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const child = spawn("pulumi", ["--non-interactive", ...args], { cwd: this.dir, env: this.env, stdio: ["pipe", "pipe", "pipe"] });
      child.stdin.end(stdin);
      let out = "";
      child.stdout.on("data", (c) => (out += c));
      child.stderr.on("data", (c) => (out += c));
      child.on("error", reject);
      child.on("close", (code) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (code !== 0) reject(new Error(`pulumi ${args.join(" ")} (stack ${this.name}) exited ${code}:\n${out}`));
        else resolve({ seconds, out });
      });
    });
  }

  async init(config, secrets) {
    await this.run(["stack", "init", this.name]);
    for (const [k, v] of Object.entries(config)) await this.set(k, v);
    // Secrets through stdin, never on a command line.
    for (const [k, v] of Object.entries(secrets)) await this.run(["config", "set", "--secret", k], v);
  }

  set(key, value) {
    return this.run(["config", "set", "--plaintext", "--", key, String(value)]);
  }
}

async function main() {
  const N = Number(option("resources", "100"));
  const RUNS = Number(option("runs", "3"));
  const bin = engineBin();
  fs.mkdirSync(path.join(REPO, ".bench"), { recursive: true });
  const work = fs.mkdtempSync(path.join(REPO, ".bench", "provider-"));
  const env = {
    ...process.env,
    // The engine, then this Node: the language host and the dynamic-provider plugin run the first `node` on PATH.
    PATH: [bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
    PULUMI_HOME: path.join(work, "home"),
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    KEYSERVICE_ENDPOINT: "",
    KEYSERVICE_ORG: "",
    KEYSERVICE_TOKEN: "",
  };
  fs.mkdirSync(path.join(work, "state"));
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyservice-bench-provider-"));
  const db = path.join(dbDir, "bench.db");
  const svc = await startKeyservice(db, { KEYSERVICE_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`, KEYSERVICE_METRICS_PORT: "0" });
  const rows = { noop: [], create: [], rotate: [] };
  const requests = {};
  let preview;
  try {
    const store = openStore({ url: db });
    const { adminToken } = await bootstrapOrg(store, "bench");
    await store.close();
    const admin = new KeyserviceClient({ endpoint: svc.url, token: adminToken, org: "bench" });
    const deployment = await admin.deployments.create({ name: "target" });
    const config = { "keyservice:endpoint": svc.url, "keyservice:org": "bench", count: N, deploymentId: deployment.id };
    const secrets = { "keyservice:token": adminToken };

    /** Runs a step and records its time and the requests the service answered meanwhile. */
    const step = async (label, stack, args) => {
      const before = await requestsByRoute(svc.metricsUrl);
      const { seconds, out } = await stack.run(args);
      requests[label] = difference(await requestsByRoute(svc.metricsUrl), before);
      log(`${label}: ${seconds.toFixed(2)} s, requests: ${describe(requests[label])}`);
      return { seconds, out };
    };

    // Untimed: the first run of the engine, plugin and program reads them from disk.
    log(`warm-up: pulumi up of ${N} no-op resources`);
    const warm = new Stack(work, env, "noop-keys", "warm-up");
    await warm.init({ ...config, prefix: "warm" }, secrets);
    await warm.run(["up", "--yes", "--skip-preview"]);

    let keys;
    for (let run = 1; run <= RUNS; run++) {
      const noop = new Stack(work, env, "noop-keys", `noop-${run}`);
      await noop.init({ ...config, prefix: `noop-${run}` }, secrets);
      rows.noop.push((await step(`run ${run}: (a) up, ${N} no-op`, noop, ["up", "--yes", "--skip-preview"])).seconds);

      keys = new Stack(work, env, "keys", `keys-${run}`);
      await keys.init({ ...config, prefix: `run${run}` }, secrets);
      rows.create.push((await step(`run ${run}: (b) up, ${N} GlobalApiKeys`, keys, ["up", "--yes", "--skip-preview"])).seconds);

      await keys.set("trigger", "rotated");
      rows.rotate.push((await step(`run ${run}: (c) up, rotate all ${N}`, keys, ["up", "--yes", "--skip-preview"])).seconds);
    }
    preview = await step(`(d) preview, unchanged ${N} keys`, keys, ["preview", "--expect-no-changes"]);
  } finally {
    await svc.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
    if (process.argv.includes("--keep")) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }

  const a = median(rows.noop);
  const b = median(rows.create);
  const c = median(rows.rotate);
  const cpu = os.cpus();
  const list = (xs) => xs.map((x) => x.toFixed(2)).join(", ");
  const runCounts = (prefix) => Object.entries(requests).filter(([k]) => k.includes(prefix)).map(([, v]) => total(v));
  const out = [];
  out.push(`keyservice provider bench: ${cpu.length} cores (${cpu[0].model.trim()}), Node ${process.version}, pulumi ${path.basename(path.dirname(bin))}, file backend, keyservice serve on SQLite`);
  out.push(`${N} resources per stack, ${RUNS} runs interleaved (a, b, c, a, b, c, ...), median wall-clock seconds of each pulumi command`);
  out.push("");
  out.push(`| step | median s | runs s | requests to the service per run | goal |`);
  out.push(`| --- | ---: | --- | --- | --- |`);
  out.push(`| (a) \`pulumi up\`, ${N} no-op dynamic resources | ${a.toFixed(2)} | ${list(rows.noop)} | ${runCounts("(a)").join(", ")} | |`);
  out.push(`| (b) \`pulumi up\`, ${N} GlobalApiKeys | ${b.toFixed(2)} | ${list(rows.create)} | ${runCounts("(b)").join(", ")} | b/a = ${(b / a).toFixed(2)} (≤ 1.25) |`);
  out.push(`| (c) \`pulumi up\`, rotate all ${N} | ${c.toFixed(2)} | ${list(rows.rotate)} | ${runCounts("(c)").join(", ")} | c/b = ${(c / b).toFixed(2)} (≤ 1.1) |`);
  out.push(`| (d) \`pulumi preview\`, unchanged | ${preview.seconds.toFixed(2)} | | ${runCounts("(d)").join(", ")} | 0 requests |`);
  out.push("");
  for (const [label, counts] of Object.entries(requests)) if (label.includes(`run ${RUNS}:`) || label.includes("(d)")) out.push(`${label}: ${describe(counts)}`);
  process.stdout.write(out.join("\n") + "\n");
  fs.writeFileSync(path.join(REPO, ".bench", "provider-last.json"), JSON.stringify({ at: new Date().toISOString(), resources: N, rows, requests }, null, 2));
}

module.exports = { main };
