import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { KeyserviceClient } from "@keyservice/sdk";
import { bootstrapOrg, openStore } from "@keyservice/service";
import { expectNoSecretsIn, secretsInDatabase } from "../helpers/leaks";
import { PulumiProject, type RunResult } from "../helpers/pulumi";
import { SecretLedger } from "../helpers/secrets";
import { REPO_ROOT, type SpawnedService, spawnService, testMasterKey } from "../helpers/service";
import { createTestDatabase, type TestDatabase } from "../helpers/store";
import { fleetLlmSecret } from "./programs/fleet/llm-secret";
import { killTree, stillRunning } from "./process-tree";
import { type FaultProxy, seeded, startFaultProxy } from "./proxy";
import { COUNT, replayCommand, type Scenario } from "./scenarios";

export const FLEET_PROGRAM = path.join(__dirname, "programs/fleet");
export const ORG = "fleet";
const TARGET = "target";

/** One JSON line per checked phase, for `npm run faults` to sum up. */
/** Where each checked phase is reported, one JSON line each: set by `npm run faults` for its run alone (none in `npm test`). */
export const REPORT = process.env.KEYSERVICE_FAULT_REPORT;

/** A page of any list route. */
type Page<T> = { items: T[]; nextCursor: string | null };

/** Every item of a list route, page after page. */
async function listAll<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let cursor: string | undefined; ; ) {
    const { items, nextCursor } = await page(cursor);
    all.push(...items);
    if (!nextCursor) return all;
    cursor = nextCursor;
  }
}

/**
 * One stack of COUNT global API keys, a deployment and an LLM key against a `keyservice serve`
 * process (its own database and master key) reached through a fault proxy. The service can be
 * killed and restarted on the same database; the proxy follows it.
 */
export class Fleet {
  service!: SpawnedService;
  proxy!: FaultProxy;
  project!: PulumiProject;
  adminToken = "";
  readonly ledger = new SecretLedger();
  readonly random: () => number;
  /** The stack's secret seed of the LLM key's fake provider secrets (see programs/fleet/llm-secret.ts). */
  readonly llmSeed = randomBytes(16).toString("hex");
  private output = "";
  private readonly replaysReported = new Map<string, number>();
  /** The processes of the last `pulumi` tree killed (the CLI, its language host, the dynamic provider). */
  private killedTree: number[] = [];
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly scenario: Scenario,
    readonly seed: number,
    readonly db: TestDatabase,
  ) {
    this.random = seeded(seed);
    const masterKey = testMasterKey();
    this.ledger.add(masterKey.split(":")[1]);
    // The generations the tests run: each one's LLM secret is searched for too.
    for (const generation of ["1", "2"]) this.ledger.add(fleetLlmSecret(this.ledger.add(this.llmSeed), generation));
    this.env = { KEYSERVICE_ENCRYPTION_KEYS: masterKey, KEYSERVICE_LOG_LEVEL: "info" };
  }

  static async start(scenario: Scenario, seed: number): Promise<Fleet> {
    const fleet = new Fleet(scenario, seed, await createTestDatabase("sqlite"));
    await fleet.startService();
    const store = openStore({ url: fleet.db.url });
    try {
      fleet.adminToken = fleet.ledger.add((await bootstrapOrg(store, ORG)).adminToken);
    } finally {
      await store.close();
    }
    await fleet.admin().deployments.create({ name: TARGET });
    fleet.proxy = await startFaultProxy(fleet.service.url, seed);
    fleet.project = await PulumiProject.create({
      programDir: FLEET_PROGRAM,
      stack: `fleet${seed}`,
      config: { "keyservice:endpoint": fleet.proxy.url, "keyservice:org": ORG, count: String(COUNT), generation: "1" },
      secrets: { "keyservice:token": fleet.adminToken, llmSeed: fleet.llmSeed },
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    return fleet;
  }

  async startService(): Promise<void> {
    this.service = await spawnService(["--db", this.db.url], this.env);
    if (this.proxy) this.proxy.upstream = this.service.url;
  }

  async killService(): Promise<void> {
    this.output += this.service.output();
    await this.service.stop("SIGKILL");
    this.proxy?.sever();
  }

  /** Those processes of the last killed `pulumi` tree still running: a kill must leave none (an orphaned provider holds ~120 MB). */
  async survivors(): Promise<number[]> {
    // SIGKILL is delivered at once, but the exit of a process that was busy takes a moment.
    for (let i = 0; i < 50 && stillRunning(this.killedTree).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    return stillRunning(this.killedTree);
  }

  /** A client straight to the service (never through the fault proxy), without retries. */
  admin(): KeyserviceClient {
    return new KeyserviceClient({ endpoint: this.service.url, token: this.adminToken, org: ORG, maxAttempts: 1 });
  }

  /** How many writes (POST, PATCH, DELETE) the running service has answered so far, on any route or on one (its pattern). */
  writes(route?: string): number {
    const answered = this.service.output().match(/"method":"(POST|PATCH|DELETE)","route":"[^"]*"/g) ?? [];
    return route === undefined ? answered.length : answered.filter((line) => line.endsWith(`"route":"${route}"`)).length;
  }

  /** Every log line of every service process so far. */
  logs(): string {
    return this.output + this.service.output();
  }

  /**
   * Runs `pulumi up` and SIGKILLs the victim at the kill point (plus up to 30 ms): the service, or
   * the whole `pulumi` process tree as a killed CI runner would lose it. A kill point of routes
   * has the proxy withhold their write answers, so the kill loses every one of them. Resolves when
   * the `pulumi` process has exited.
   */
  async upKilled(victim: "service" | "engine", at: KillPoint): Promise<RunResult & { killed: boolean }> {
    const start = this.writes();
    const routes = typeof at === "number" ? [] : at;
    const startOn = routes.map((route) => this.writes(route));
    const reached = () => (typeof at === "number" ? this.writes() - start >= at : routes.every((route, i) => this.writes(route) > startOn[i]));
    // A kill on routes' answers loses them all: the proxy holds them until the kill severs it.
    this.proxy.withhold = routes;
    this.killedTree = [];
    const child = spawn(path.join(PulumiProject.engine(), "pulumi"), ["--non-interactive", "up", "--yes", "--skip-preview"], {
      cwd: this.project.dir,
      env: this.project.environment(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    let killed = false;
    const watch = (async () => {
      while (child.exitCode === null && !reached()) await new Promise((r) => setTimeout(r, 5));
      if (child.exitCode !== null) return;
      await new Promise((r) => setTimeout(r, Math.floor(this.random() * 30)));
      killed = true;
      if (victim === "service") await this.killService();
      else this.killedTree = killTree(child.pid!);
    })();
    let code: number | null;
    try {
      code = await exited;
      await watch;
    } finally {
      this.proxy.withhold = [];
    }
    this.project.record(["up (fault injected)"], stdout + stderr);
    return { code, stdout, stderr, killed };
  }

  /**
   * One phase of a kill scenario: `pulumi up` with the victim SIGKILLed after a random number of
   * writes (or at `options.at`), the user's recovery, then the convergence checks, reported. With
   * `options.generation`, the phase rotates every key and the LLM key's secret to it. Returns what
   * converged() measured.
   */
  async killPhase(
    victim: "service" | "engine",
    phase: string,
    recover: () => Promise<{ ups: number; note: string }>,
    options: { generation?: string; at?: KillPoint } = {},
  ): Promise<Convergence> {
    return this.checkedPhase(`${victim} killed`, phase, async (injected) => {
      if (options.generation) await this.project.setConfig("generation", options.generation);
      const at = options.at ?? 1 + Math.floor(this.random() * COUNT);
      const when = typeof at === "number" ? `after ${at} writes` : `once ${at.join(" and ")} answered`;
      const what = victim === "service" ? "the service" : "pulumi";
      const run = await this.upKilled(victim, at);
      if (!run.killed) throw new Error(`pulumi up ended before the kill point (${when}): nothing was killed`);
      injected.what = `SIGKILL of ${what} ${when}`;
      injected.faults = 1;
      const { ups, note } = await recover();
      injected.what += note;
      return { state: await this.converged(), ups };
    });
  }

  /**
   * Runs one checked phase and reports it under the scenario's `label` (`run` notes what it
   * injected as it goes). A phase that throws (a kill that never came, a `pulumi up` that never
   * succeeded) is reported too, as not converged, before its error fails the test.
   */
  async checkedPhase(label: string, phase: string, run: (injected: Injected) => Promise<{ state: Convergence; ups: number }>): Promise<Convergence> {
    const injected: Injected = { what: "nothing yet", faults: 0 };
    let outcome: { state: Convergence; ups: number };
    try {
      outcome = await run(injected);
    } catch (err) {
      // The phase's own error is the one to see, should the report fail as well.
      await this.report(label, phase, injected, { error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
      throw err;
    }
    await this.report(label, phase, injected, outcome);
    return outcome.state;
  }

  /** How many times the service replayed an action's answer (e.g. "llm_key.create"), so far. */
  replayed(action: string): Promise<number> {
    return this.db.count("SELECT count(*) FROM audit_events WHERE action = ?", `${action}.replayed`);
  }

  /**
   * Keys the service holds below `version` (not rotated), as "name vN". A key may be one version
   * past it: a rotation whose answer was lost, found stale by the recovery's refresh, rotates again.
   */
  async belowVersion(version: number): Promise<string[]> {
    return (await this.storedKeys()).filter((k) => k.version < version).map((k) => `${k.name} v${k.version}`);
  }

  /** `pulumi up` until it succeeds (a run may fail when a request outlives the client's retries), at most `tries` times. */
  async upUntilDone(tries = 3): Promise<number> {
    for (let i = 1; ; i++) {
      const result = await this.project.run(["up", "--yes", "--skip-preview"]);
      if (result.code === 0) return i;
      if (i >= tries) throw new Error(`pulumi up failed ${tries} times; the last:\n${result.stdout}\n${result.stderr}`);
    }
  }

  /** Every global API key the service holds for the org. */
  storedKeys() {
    return listAll((cursor) => this.admin().globalApiKeys.list({ limit: 100, cursor }));
  }

  /**
   * What convergence means, measured: the stack holds COUNT keys at `generation`, a deployment and
   * an LLM key; each exists in the service exactly once, each key's secret in state opens the
   * deployment as its own key, the LLM key verifies with the secret in state, the service holds
   * nothing the stack does not own (but the target deployment), and a further plan changes nothing.
   */
  async converged(): Promise<Convergence> {
    const outputs = await this.project.outputs(true);
    const fleet = (outputs.fleet ?? {}) as Record<string, { id: string; key: string; version: number }>;
    const deploymentId = outputs.deploymentId as string | undefined;
    const llmKey = outputs.llmKey as { id: string; apiKey: string } | undefined;
    for (const row of Object.values(fleet)) this.ledger.add(row.key);
    this.ledger.add(llmKey?.apiKey);
    const stored = [
      ...(await this.storedKeys()).map((k) => ({ kind: "key", name: k.name, id: k.id })),
      ...(await listAll((cursor) => this.admin().deployments.list({ limit: 100, cursor })))
        .filter((d) => d.name !== TARGET)
        .map((d) => ({ kind: "deployment", name: d.name, id: d.id })),
      ...(await listAll((cursor) => this.admin().llmKeys.list({ limit: 100, cursor }))).map((k) => ({ kind: "LLM key", name: k.provider, id: k.id })),
    ];
    const inState = new Set([...Object.values(fleet).map((r) => r.id), ...(deploymentId ? [deploymentId] : []), ...(llmKey ? [llmKey.id] : [])]);
    const byName = new Map<string, number>();
    for (const { kind, name } of stored) byName.set(`${kind} ${name}`, (byName.get(`${kind} ${name}`) ?? 0) + 1);
    const notWorking: string[] = [];
    for (const [name, row] of Object.entries(fleet)) {
      try {
        const opened = await this.admin().deployments.execute(TARGET, row.key);
        if (opened.keyId !== row.id) notWorking.push(`${name}: opened as ${opened.keyId}`);
      } catch (err) {
        notWorking.push(`${name}: ${(err as Error).message}`);
      }
    }
    if (llmKey) {
      try {
        if (!(await this.admin().llmKeys.verify(llmKey.id, { apiKey: llmKey.apiKey })).matches) notWorking.push("fleet-llm: the secret in state does not match");
      } catch (err) {
        notWorking.push(`fleet-llm: ${(err as Error).message}`);
      }
    }
    const preview = await this.project.run(["preview", "--expect-no-changes"]);
    return {
      resources: inState.size,
      missing: [...inState].filter((id) => !stored.some((r) => r.id === id)),
      orphans: stored.filter((r) => !inState.has(r.id)).map((r) => `${r.kind} ${r.name} (${r.id})`),
      duplicates: [...byName].filter(([, n]) => n > 1).map(([name]) => name),
      notWorking,
      planIsEmpty: preview.code === 0 ? true : `${preview.stdout}\n${preview.stderr}`,
    };
  }

  /**
   * Records a checked phase in the report: what was injected and how many faults, how many
   * `pulumi up` runs it took, how many answers the service replayed (a create or rotation that had
   * committed, its answer lost), how many of those were the deployment's or the LLM key's create,
   * and the command that replays the trial. A phase that threw has its error instead of the checks.
   */
  private async report(label: string, phase: string, injected: Injected, outcome: { state: Convergence; ups: number } | { error: string }): Promise<void> {
    const replayed = new Map<string, number>();
    for (const { action, n } of await this.db.query<{ action: string; n: number }>("SELECT action, count(*) AS n FROM audit_events WHERE action LIKE '%.replayed' GROUP BY action")) {
      replayed.set(action, Number(n) - (this.replaysReported.get(action) ?? 0));
      this.replaysReported.set(action, Number(n));
    }
    const replays = [...replayed.values()].reduce((a, b) => a + b, 0);
    const otherReplays = (replayed.get("deployment.create.replayed") ?? 0) + (replayed.get("llm_key.create.replayed") ?? 0);
    const checks =
      "error" in outcome
        ? { ups: null, converged: false, orphans: null, duplicates: null, notWorking: null, error: outcome.error }
        : { ups: outcome.ups, converged: JSON.stringify(outcome.state) === JSON.stringify(CONVERGED), orphans: outcome.state.orphans.length, duplicates: outcome.state.duplicates.length, notWorking: outcome.state.notWorking.length };
    const line = { seed: this.seed, scenario: label, phase, injected: injected.what, faults: injected.faults, replays, otherReplays, ...checks, replay: replayCommand(this.scenario, this.seed) };
    if (!REPORT) return;
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.appendFileSync(REPORT, JSON.stringify(line) + "\n");
  }

  /** No secret the test saw in the backend, the transcript, the database or the service's logs. */
  async expectNoLeaks(): Promise<void> {
    expectNoSecretsIn(this.ledger, { dirs: [this.project.backendDir], texts: { transcript: this.project.transcript(), logs: this.logs() } });
    expect(await secretsInDatabase(this.ledger, this.db)).toEqual([]);
  }

  async close(): Promise<void> {
    await this.service?.stop();
    await this.proxy?.close();
    this.project?.cleanup();
    await this.db.drop();
  }
}

/** What a phase injected, noted as it goes: in words, and how many faults (a kill is one; a broken connection is one). */
export interface Injected {
  what: string;
  faults: number;
}

/** Where a kill falls: after a number of writes, or once the service answered a write on each of these routes (patterns). */
export type KillPoint = number | readonly string[];

export interface Convergence {
  resources: number;
  missing: string[];
  orphans: string[];
  duplicates: string[];
  notWorking: string[];
  planIsEmpty: true | string;
}

/** The convergence every scenario must reach: COUNT keys, the deployment and the LLM key. */
export const CONVERGED: Convergence = { resources: COUNT + 2, missing: [], orphans: [], duplicates: [], notWorking: [], planIsEmpty: true };
