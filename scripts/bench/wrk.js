// Runs wrk (Debian's package) against a URL and reads its report: the load generator must not be the
// bottleneck, and a Node client is (it drives a bare node:http server to half of what wrk does).
const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/** Makes sure wrk is installed: installs it from Debian when running as root, else says how. */
function ensureWrk() {
  const has = () => {
    try {
      return execFileSync("wrk", ["-v"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
      return err.stdout || err.stderr || "";
    }
  };
  let version = has();
  if (!/wrk/.test(version) && process.getuid?.() === 0) {
    process.stderr.write("bench: installing wrk from Debian (apt-get install wrk)...\n");
    execFileSync("bash", ["-c", "apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)"], { stdio: "inherit" });
    version = has();
  }
  if (!/wrk/.test(version)) throw new Error("wrk is not installed: apt-get install wrk (the bench needs a load generator faster than the server).");
  return version.split("\n")[0].trim();
}

const UNIT = { us: 0.001, ms: 1, s: 1000 };
function ms(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  return m ? Number(m[1]) * UNIT[m[2]] : NaN;
}

/** A Lua script for wrk: the method, an optional body, and either one token or tokens read from a file in turn. */
function luaScript({ method, body, tokensFile, garbage }) {
  const lines = [`wrk.method = "${method}"`];
  if (body !== undefined) lines.push(`wrk.body = ${JSON.stringify(JSON.stringify(body))}`, `wrk.headers["content-type"] = "application/json"`);
  if (tokensFile) {
    lines.push(
      "local tokens = {}",
      `for line in io.lines(${JSON.stringify(tokensFile)}) do tokens[#tokens + 1] = line end`,
      // A random start, so that runs one after another walk on from different places.
      "math.randomseed(os.time())",
      "local i = math.random(0, #tokens - 1)",
      "request = function()",
      "  i = i % #tokens + 1",
      '  wrk.headers["authorization"] = "Bearer " .. tokens[i]',
      "  return wrk.format()",
      "end",
    );
  }
  if (garbage) {
    // Well-formed prefix, random rest: what a scanner or a brute force would send.
    lines.push(
      "local chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'",
      "request = function()",
      "  local t = {}",
      "  for n = 1, 49 do local k = math.random(1, 62); t[n] = chars:sub(k, k) end",
      '  wrk.headers["authorization"] = "Bearer ks_gak_" .. table.concat(t)',
      "  return wrk.format()",
      "end",
    );
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keyservice-wrk-")), "script.lua");
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out}`))));
  });
}

/**
 * One measurement: a warm-up, then the measured run (-t1 -c32 by default, as the table).
 * Returns requests per second, p50/p99 latency in ms, and how many answers were not 2xx.
 */
async function measure(url, { method = "GET", headers = {}, body, tokensFile, garbage, seconds = 5, warmup = 2, connections = 32 } = {}) {
  const script = luaScript({ method, body, tokensFile, garbage });
  const base = ["-t1", `-c${connections}`, "-s", script, ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`])];
  if (warmup > 0) await run([...base, `-d${warmup}s`, url]);
  const out = await run([...base, "--latency", `-d${seconds}s`, url]);
  fs.rmSync(path.dirname(script), { recursive: true, force: true });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? "");
  const p99 = ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? "");
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, requests, non2xx };
}

module.exports = { ensureWrk, measure };
