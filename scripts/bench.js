#!/usr/bin/env node
// `npm run bench`: the execution hot path (POST deployments/{name}/execute with a global key)
// against its ceiling, a bare node:http server answering the same JSON. Loopback only, bounded.
// The load comes from a child process, so the server under test keeps its event loop to itself.
const { fork } = require("node:child_process");
const http = require("node:http");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

/** Sends REQUESTS POSTs over keep-alive connections, CONCURRENCY at a time; returns latencies in ms. */
async function load(url, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let sent = 0;
  let failures = 0;
  const one = () =>
    new Promise((resolve) => {
      const t = process.hrtime.bigint();
      const req = http.request(url, { method: "POST", agent, headers }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 200) failures++;
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          resolve();
        });
      });
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.end();
    });
  const worker = async () => {
    while (sent < REQUESTS) {
      sent++;
      await one();
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
  return { rps: Math.round(REQUESTS / seconds), p50: pct(50), p99: pct(99), failures };
}

/** Runs `load` in a child process and returns its result. */
function loadFromChild(url, headers) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ["--load"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", resolve);
    child.once("error", reject);
    child.send({ url, headers });
  });
}

function bareServer(body) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function main() {
  const { KeyserviceClient } = require("@keyservice/sdk");
  const { bootstrapOrg, openStore, resolveConfig, startService } = require("@keyservice/service");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyservice-bench-"));
  const config = resolveConfig({ db: path.join(dir, "bench.db"), port: 0, logLevel: "error", env: { ...process.env, KEYSERVICE_ENCRYPTION_KEYS: "" } });
  const service = await startService(config);
  try {
    const store = openStore({ url: config.db });
    const { adminToken } = await bootstrapOrg(store, "bench");
    await store.close();
    const admin = new KeyserviceClient({ endpoint: service.url, token: adminToken, org: "bench" });
    const deployment = await admin.deployments.create({ name: "hot" });
    const { key } = await admin.globalApiKeys.create({ name: "bench", deploymentIds: [deployment.id] });
    const answer = JSON.stringify(await admin.deployments.execute("hot", key));

    const bare = await bareServer(answer);
    const ceiling = await loadFromChild(`http://127.0.0.1:${bare.address().port}/`, { authorization: `Bearer ${key}` });
    bare.close();
    const execute = await loadFromChild(`${service.url}/api/v1/orgs/bench/deployments/hot/execute`, { authorization: `Bearer ${key}` });

    const row = (name, r) => `${name.padEnd(34)} ${String(r.rps).padStart(8)} req/s   p50 ${r.p50.padStart(6)} ms   p99 ${r.p99.padStart(6)} ms   failures ${r.failures}`;
    process.stdout.write(`${REQUESTS} requests, ${CONCURRENCY} concurrent, loopback, ${os.cpus().length} cores, node ${process.version}\n`);
    process.stdout.write(row("ceiling: bare node:http", ceiling) + "\n");
    process.stdout.write(row("execute with a global key (SQLite)", execute) + "\n");
    process.stdout.write(`execute reaches ${Math.round((100 * execute.rps) / ceiling.rps)}% of the ceiling\n`);
  } finally {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--load")) {
  process.once("message", ({ url, headers }) => load(url, headers).then((r) => process.send(r, () => process.exit(0))));
} else {
  main().catch((err) => {
    process.stderr.write(`bench failed: ${err.stack}\n`);
    process.exit(1);
  });
}
