// The servers a bench run compares, each in a process of its own (as in production), started with
// the Node that runs the bench.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const REPO = path.resolve(__dirname, "../..");
// `keyservice` as installed: its bin, with the Node flags of its first line, on the bench's Node.
const BIN = path.join(REPO, "service/bin/keyservice.js");
const BIN_FLAGS = (/^#!\/usr\/bin\/env -S node(.*)$/m.exec(fs.readFileSync(BIN, "utf8").split("\n")[0])?.[1] ?? "").trim().split(/\s+/).filter(Boolean);

function waitFor(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${what} did not start:\n${out}`));
    }, 30_000);
    const onData = (chunk) => {
      out += chunk;
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stderr.off("data", onData);
        resolve([m[1], out]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${out}`));
    });
  });
}

function handle(child, url) {
  return {
    url,
    pid: child.pid,
    /** Resident memory of the server process, in MB (from /proc). */
    rssMb() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}

/**
 * The ceiling: a bare node:http server answering the same bytes. `batched`: its sockets hand their
 * writes to the kernel at the end of each turn of the event loop, as keyservice's do
 * (service/src/plugins/write-batch.ts), to show how much of a row's speed is that technique rather
 * than less work per request.
 */
async function startBare(body, { batched = false } = {}) {
  const code = `
    const http = require("node:http");
    const body = ${JSON.stringify(body)};
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => { res.writeHead(200, { "content-type": "application/json; charset=utf-8" }); res.end(body); });
    });
    ${batched ? BATCHED_WRITES : ""}
    server.listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + server.address().port));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "pipe"] });
  const [url] = await waitFor(child, /listening on (http:\/\/\S+)/, "the bare server");
  return handle(child, url);
}

// The deferral of writeAtTurnEnd (service/src/plugins/write-batch.ts), for the bare server; without
// its handling of a destroy or a throw mid-batch, which a bench of valid requests never meets.
const BATCHED_WRITES = `
    let waiting = [], flushing = false;
    const flush = () => { const w = waiting; waiting = []; flushing = true; for (const f of w) f(); flushing = false; };
    const later = (f) => { if (flushing) f(); else if (waiting.push(f) === 1) setImmediate(flush); };
    server.on("connection", (socket) => {
      const writev = socket._writev, write = socket._write;
      socket._writev = function (chunks, cb) { later(() => writev.call(this, chunks, cb)); };
      socket._write = function (chunk, encoding, cb) { later(() => write.call(this, chunk, encoding, cb)); };
    });`;

/** Fastify answering the same JSON on one route: what the framework alone costs. */
async function startFastifyHello(body) {
  const code = `
    const fastify = require(${JSON.stringify(require.resolve("fastify", { paths: [path.join(REPO, "service")] }))})();
    const answer = JSON.parse(${JSON.stringify(body)});
    fastify.post("/", async () => answer);
    fastify.listen({ port: 0, host: "127.0.0.1" }).then((url) => console.log("listening on " + url));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "pipe"] });
  const [url] = await waitFor(child, /listening on (http:\/\/\S+)/, "the Fastify hello server");
  return handle(child, url);
}

/** `keyservice serve` as a user runs it: info logging, its cache on. */
async function startKeyservice(db, env) {
  const child = spawn(process.execPath, [...BIN_FLAGS, BIN, "serve", "--port", "0", "--db", db], { env: { ...process.env, KEYSERVICE_LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  // Both lines, in either order: the metrics server and the API start when the app is ready.
  const [, out] = await waitFor(child, /(?=[\s\S]*keyservice listening on http)(?=[\s\S]*"url":"http:\/\/[^"]+\/metrics")/, "keyservice serve");
  const url = /keyservice listening on (http:\/\/\S+)/.exec(out)[1];
  const metrics = /"url":"(http:\/\/[^"]+\/metrics)"/.exec(out)[1];
  // Keep draining its log so the pipe never fills and slows it down.
  child.stdout.resume();
  child.stderr.resume();
  return { ...handle(child, url), metricsUrl: metrics };
}

module.exports = { startBare, startFastifyHello, startKeyservice };
