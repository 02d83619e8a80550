#!/usr/bin/env node
// `npm run faults -- --trials N [--seed S] [--keys K] [--scenario NAME] [--dry-run]`: the
// fault-injection suite (test/faults), then a summary table of what was injected and what
// converged. See --help. A failing trial prints the command that replays it, exactly.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { parseArgs } = require("node:util");

const root = path.join(__dirname, "..");
const faultsDir = path.join(root, "test", "faults");
// A scenario is a test file: test/faults/<scenario>.test.ts (see test/faults/scenarios.ts).
const scenarios = fs
  .readdirSync(faultsDir)
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -".test.ts".length));

const HELP = `npm run faults -- [options]

  --trials N       trials of service-killed (default 20); engine-killed runs N up to 5, then 2N/5; bad-network N/5,
                   service-killed-on-answers 1; with --scenario, that scenario runs N
  --seed S         the first seed (default fixed); each scenario's seeds start at their own offset
                   from it, but with --scenario they start at S exactly
  --keys K         global API keys per stack (default 50)
  --scenario NAME  run only this scenario: ${scenarios.join(", ")}
  --dry-run        print the jest command and its settings, run nothing
  --help           this text

A failed trial is listed with the command that replays it, e.g.
  npm run faults -- --scenario engine-killed --seed 20261303 --trials 1`;

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "20" },
    seed: { type: "string" },
    keys: { type: "string" },
    scenario: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
function fail(message) {
  console.error(`faults: ${message}`);
  process.exit(2);
}
const trials = Number(values.trials);
if (!Number.isInteger(trials) || trials < 1) fail("--trials must be a positive integer");
// Each scenario's seeds start 50 or more after the previous one's (test/faults/scenarios.ts): more would share seeds.
if (trials > 50 && !values.scenario) fail("--trials must be at most 50 (more would repeat another scenario's seeds); use --scenario for longer runs of one");
if (values.seed !== undefined && !Number.isInteger(Number(values.seed))) fail("--seed must be an integer");
if (values.keys !== undefined && !(Number.isInteger(Number(values.keys)) && Number(values.keys) > 0)) fail("--keys must be a positive integer");
if (values.scenario !== undefined && !scenarios.includes(values.scenario)) fail(`--scenario must be one of ${scenarios.join(", ")}`);

const report = path.join(root, ".work", "faults-report.jsonl");
const settings = {
  KEYSERVICE_FAULT_TRIALS: String(trials),
  KEYSERVICE_FAULT_REPORT: report,
  ...(values.seed !== undefined ? { KEYSERVICE_FAULT_SEED: values.seed } : {}),
  ...(values.keys !== undefined ? { KEYSERVICE_FAULT_KEYS: values.keys } : {}),
  ...(values.scenario ? { KEYSERVICE_FAULT_SCENARIO: values.scenario } : {}),
};
const jest = require.resolve("jest/bin/jest");
const args = [jest, "--selectProjects", "faults", ...(values.scenario ? ["--testPathPattern", `test/faults/${values.scenario}\\.test\\.ts$`] : [])];
if (values["dry-run"]) {
  console.log([...Object.entries(settings).map(([k, v]) => `${k}=${v}`), "node", ...args.map((a) => (/[\\$ ]/.test(a) ? `'${a}'` : a))].join(" "));
  process.exit(0);
}

// The report is this run's alone.
fs.rmSync(report, { force: true });
// Only this run's settings: a KEYSERVICE_FAULT_* exported in the shell would shift its seeds or scenario.
const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("KEYSERVICE_FAULT_")));
const result = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...inherited, ...settings }, cwd: root });

const lines = fs.existsSync(report) ? fs.readFileSync(report, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
const groups = new Map();
const failed = [];
for (const l of lines) {
  const key = `${l.scenario} | ${l.phase}`;
  const g = groups.get(key) ?? { trials: 0, faults: 0, converged: 0, orphans: 0, duplicates: 0, notWorking: 0, replays: 0, otherReplays: 0, ups: 0, checked: 0, seeds: [] };
  g.trials++;
  g.faults += l.faults ?? 0;
  g.converged += l.converged ? 1 : 0;
  g.orphans += l.orphans ?? 0;
  g.duplicates += l.duplicates ?? 0;
  g.notWorking += l.notWorking ?? 0;
  g.replays += l.replays;
  g.otherReplays += l.otherReplays ?? 0;
  // A phase that threw never got to count its `pulumi up` runs.
  if (typeof l.ups === "number") {
    g.ups += l.ups;
    g.checked++;
  }
  if (!l.converged) {
    g.seeds.push(l.seed);
    failed.push(l);
  }
  groups.set(key, g);
}
console.log("\n| scenario | phase | trials | faults injected | converged | orphans | duplicates | secrets not working | answers replayed (of which deployment or LLM key creates) | `pulumi up` runs to converge |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const [key, g] of groups) {
  const ups = g.checked > 0 ? `${(g.ups / g.checked).toFixed(1)} avg` : "-";
  console.log(`| ${key} | ${g.trials} | ${g.faults} | ${g.converged}${g.seeds.length ? ` (failed: seeds ${g.seeds.join(", ")})` : ""} | ${g.orphans} | ${g.duplicates} | ${g.notWorking} | ${g.replays} (${g.otherReplays}) | ${ups} |`);
}
if (failed.length > 0) {
  console.log("\nFailed trials, and the command that replays each:");
  for (const l of failed) console.log(`- seed ${l.seed}, ${l.scenario}, ${l.phase}${l.error ? ` (threw: ${l.error.split("\n")[0]})` : ""}: ${l.replay}`);
}
process.exit(result.status ?? 1);
