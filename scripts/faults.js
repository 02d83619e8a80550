#!/usr/bin/env node
// `npm run faults -- --trials N [--seed S] [--keys K]`: the fault-injection suite (test/faults)
// with N trials of "service killed" (and 2N/5 of "engine killed", N/5 of "bad network"; 5 in
// `npm test`), then a summary table of what was injected and what converged. A failing trial
// names its seed in the test title: replay it with --seed <seed> --trials 1.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { parseArgs } = require("node:util");

const { values } = parseArgs({ options: { trials: { type: "string", default: "20" }, seed: { type: "string" }, keys: { type: "string" } } });
const trials = Number(values.trials);
if (!Number.isInteger(trials) || trials < 1) {
  console.error("faults: --trials must be a positive integer");
  process.exit(2);
}
const root = path.join(__dirname, "..");
const report = path.join(root, ".work", "faults-report.jsonl");
fs.rmSync(report, { force: true });
const env = {
  ...process.env,
  KEYSERVICE_FAULT_TRIALS: String(trials),
  KEYSERVICE_FAULT_REPORT: report,
  ...(values.seed ? { KEYSERVICE_FAULT_SEED: values.seed } : {}),
  ...(values.keys ? { KEYSERVICE_FAULT_KEYS: values.keys } : {}),
};
const jest = require.resolve("jest/bin/jest");
const result = spawnSync(process.execPath, [jest, "--selectProjects", "faults"], { stdio: "inherit", env, cwd: root });

const lines = fs.existsSync(report) ? fs.readFileSync(report, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
const groups = new Map();
for (const l of lines) {
  const key = `${l.scenario} | ${l.phase}`;
  const g = groups.get(key) ?? { trials: 0, converged: 0, orphans: 0, duplicates: 0, notWorking: 0, replays: 0, otherReplays: 0, ups: 0, seeds: [] };
  g.trials++;
  g.converged += l.converged ? 1 : 0;
  g.orphans += l.orphans;
  g.duplicates += l.duplicates;
  g.notWorking += l.notWorking;
  g.replays += l.replays;
  g.otherReplays += l.otherReplays ?? 0;
  g.ups += l.ups;
  if (!l.converged) g.seeds.push(l.seed);
  groups.set(key, g);
}
console.log("\n| scenario | phase | trials | converged | orphans | duplicates | secrets not working | answers replayed (of which deployment or LLM key creates) | `pulumi up` runs to converge |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const [key, g] of groups) {
  console.log(`| ${key} | ${g.trials} | ${g.converged}${g.seeds.length ? ` (failed: seeds ${g.seeds.join(", ")})` : ""} | ${g.orphans} | ${g.duplicates} | ${g.notWorking} | ${g.replays} (${g.otherReplays}) | ${(g.ups / g.trials).toFixed(1)} avg |`);
}
process.exit(result.status ?? 1);
