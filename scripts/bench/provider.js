// `npm run bench -- --provider`: the provider through the real engine against a real
// `keyservice serve` (SQLite), in one run, repeated and interleaved:
//   (a) `pulumi up` of N no-op dynamic resources shaped like GlobalApiKeys (the baseline),
//   (b) `pulumi up` of N GlobalApiKeys,
//   (c) rotating all N (one rotationTriggers value changed),
//   (e) `pulumi up` of N no-op resources whose provider can update, then (f) updating all N: the
//       engine's own cost of updating every resource against creating it, the floor of c/b,
// then (d) `pulumi preview` of the unchanged key stack, with the requests the service counted
// during each step (/metrics keyservice_http_requests_total).
//   npm run bench -- --provider [--resources 100] [--runs 3] [--keep] [--skip-checkpoints]
// --skip-checkpoints runs every step with PULUMI_SKIP_CHECKPOINTS=true (state written once, at the
// end, instead of the whole state at every step): what the file backend's checkpoints cost.
// Wall-clock time of each `pulumi` command (program, engine, provider), on a file backend.
const { spawn } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { KeyserviceClient } = require("@keyservice/sdk");
const { bootstrapOrg, openStore } = require("@keyservice/service");
const { engineBin, pulumiEnv } = require("../lib/local-stack");
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

/** User + system seconds from a line of bash's `times` ("0m1.234s 0m0.100s"). */
function cpuSeconds(line) {
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
}

/** User + system seconds a process has used so far (from /proc). */
function processCpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}

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
      // bash's `times` reports the CPU time of the processes it waited for: pulumi, and the language
      // host, program and provider processes pulumi waited for. Less noisy than wall time on a shared machine.
      const script = 'pulumi "$@"; s=$?; times >&3; exit $s';
      const child = spawn("bash", ["-c", script, "bash", "--non-interactive", ...args], { cwd: this.dir, env: this.env, stdio: ["pipe", "pipe", "pipe", "pipe"] });
      child.stdin.end(stdin);
      let out = "";
      let times = "";
      child.stdout.on("data", (c) => (out += c));
      child.stderr.on("data", (c) => (out += c));
      child.stdio[3].on("data", (c) => (times += c));
      child.on("error", reject);
      child.on("close", (code) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cpu = cpuSeconds(times.trim().split("\n")[1] ?? "");
        if (code !== 0) reject(new Error(`pulumi ${args.join(" ")} (stack ${this.name}) exited ${code}:\n${out}`));
        else resolve({ seconds, cpu, out });
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

const SKIP_CHECKPOINTS = process.argv.includes("--skip-checkpoints");

async function main() {
  const N = Number(option("resources", "100"));
  const RUNS = Number(option("runs", "3"));
  const bin = engineBin();
  fs.mkdirSync(path.join(REPO, ".bench"), { recursive: true });
  const work = fs.mkdtempSync(path.join(REPO, ".bench", "provider-"));
  const env = { ...pulumiEnv(bin, { dir: work, passphrase: "bench" }), ...(SKIP_CHECKPOINTS ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}) };
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyservice-bench-provider-"));
  const db = path.join(dbDir, "bench.db");
  const svc = await startKeyservice(db, { KEYSERVICE_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`, KEYSERVICE_METRICS_PORT: "0" });
  const steps = { a: [], b: [], c: [], d: [], e: [], f: [] };
  try {
    const store = openStore({ url: db });
    const { adminToken } = await bootstrapOrg(store, "bench");
    await store.close();
    const admin = new KeyserviceClient({ endpoint: svc.url, token: adminToken, org: "bench" });
    const deployment = await admin.deployments.create({ name: "target" });
    const config = { "keyservice:endpoint": svc.url, "keyservice:org": "bench", count: N, deploymentId: deployment.id };
    const secrets = { "keyservice:token": adminToken };

    /** Runs a step and records its wall time, CPU time, the service's CPU time and the requests it answered meanwhile. */
    const step = async (id, label, stack, args) => {
      const before = await requestsByRoute(svc.metricsUrl);
      const serviceBefore = processCpuSeconds(svc.pid);
      const { seconds, cpu } = await stack.run(args);
      const serviceCpu = processCpuSeconds(svc.pid) - serviceBefore;
      const requests = difference(await requestsByRoute(svc.metricsUrl), before);
      steps[id].push({ label, seconds, cpu, serviceCpu, requests });
      log(`${label}: ${seconds.toFixed(2)} s (CPU: pulumi ${cpu.toFixed(2)} s, service ${serviceCpu.toFixed(2)} s), requests: ${describe(requests)}`);
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
      await step("a", `run ${run}: (a) up, ${N} no-op`, noop, ["up", "--yes", "--skip-preview"]);

      keys = new Stack(work, env, "keys", `keys-${run}`);
      await keys.init({ ...config, prefix: `run${run}` }, secrets);
      await step("b", `run ${run}: (b) up, ${N} GlobalApiKeys`, keys, ["up", "--yes", "--skip-preview"]);

      await keys.set("trigger", "rotated");
      await step("c", `run ${run}: (c) up, rotate all ${N}`, keys, ["up", "--yes", "--skip-preview"]);

      const updatable = new Stack(work, env, "noop-keys", `updatable-${run}`);
      await updatable.init({ ...config, prefix: `updatable-${run}`, updatable: true }, secrets);
      await step("e", `run ${run}: (e) up, ${N} no-op with update`, updatable, ["up", "--yes", "--skip-preview"]);
      await updatable.set("trigger", "updated");
      await step("f", `run ${run}: (f) up, update all ${N} no-op`, updatable, ["up", "--yes", "--skip-preview"]);
    }
    await step("d", `(d) preview, unchanged ${N} keys`, keys, ["preview", "--expect-no-changes"]);
  } finally {
    await svc.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
    if (process.argv.includes("--keep")) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }

  const m = Object.fromEntries(Object.entries(steps).map(([id, rs]) => [id, { seconds: median(rs.map((r) => r.seconds)), cpu: median(rs.map((r) => r.cpu)), serviceCpu: median(rs.map((r) => r.serviceCpu)) }]));
  const row = (id, what, goal) => {
    const rs = steps[id];
    const cells = [what, m[id].seconds.toFixed(2), rs.map((r) => r.seconds.toFixed(2)).join(", "), m[id].cpu.toFixed(2), m[id].serviceCpu.toFixed(2), rs.map((r) => total(r.requests)).join(", "), goal];
    return `| ${cells.join(" | ")} |`;
  };
  // The ratio of the medians, and the median of each run's own ratio (its steps ran back to back, so they met the same load).
  const ratio = (x, y, goal) => {
    const paired = steps[x].map((r, i) => r.seconds / steps[y][i].seconds);
    return `${x}/${y} = ${(m[x].seconds / m[y].seconds).toFixed(2)}, per run ${paired.map((p) => p.toFixed(2)).join(", ")} (median ${median(paired).toFixed(2)}; ${goal})`;
  };
  const cpu = os.cpus();
  const out = [];
  out.push(`keyservice provider bench: ${cpu.length} cores (${cpu[0].model.trim()}), Node ${process.version}, pulumi ${path.basename(path.dirname(bin))}, file backend${SKIP_CHECKPOINTS ? " with PULUMI_SKIP_CHECKPOINTS=true" : ""}, keyservice serve on SQLite`);
  out.push(`${N} resources per stack, ${RUNS} runs interleaved (a, b, c, e, f, a, b, c, e, f, ...); medians; CPU = user + system seconds of pulumi and the processes it waited for, and of the service`);
  out.push("");
  out.push("| step | wall s | wall s, each run | CPU s | service CPU s | requests to the service, each run | goal |");
  out.push("| --- | ---: | --- | ---: | ---: | --- | --- |");
  out.push(row("a", `(a) \`pulumi up\`, ${N} no-op dynamic resources`, ""));
  out.push(row("b", `(b) \`pulumi up\`, ${N} GlobalApiKeys`, ratio("b", "a", "≤ 1.25")));
  out.push(row("c", `(c) \`pulumi up\`, rotate all ${N}`, ratio("c", "b", "≤ 1.1")));
  out.push(row("d", "(d) `pulumi preview`, unchanged keys", "0 requests"));
  out.push(row("e", `(e) \`pulumi up\`, ${N} no-op resources that can update`, ""));
  out.push(row("f", `(f) \`pulumi up\`, update all ${N} no-op`, ratio("f", "e", "the engine alone")));
  out.push("");
  for (const id of ["b", "c", "d"]) out.push(`${steps[id].at(-1).label}: ${describe(steps[id].at(-1).requests)}`);
  process.stdout.write(out.join("\n") + "\n");
  fs.writeFileSync(path.join(REPO, ".bench", "provider-last.json"), JSON.stringify({ at: new Date().toISOString(), resources: N, steps }, null, 2));
}

module.exports = { main };
