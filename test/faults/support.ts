import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type GlobalApiKey, KeyserviceClient } from "@keyservice/sdk";
import { bootstrapOrg, openStore } from "@keyservice/service";
import { expectNoSecretsIn, secretsInDatabase } from "../helpers/leaks";
import { PulumiProject, type RunResult } from "../helpers/pulumi";
import { SecretLedger } from "../helpers/secrets";
import { REPO_ROOT, type SpawnedService, spawnService, testMasterKey } from "../helpers/service";
import { createTestDatabase, type TestDatabase } from "../helpers/store";
import { type FaultProxy, seeded, startFaultProxy } from "./proxy";

export const FLEET_PROGRAM = path.join(__dirname, "programs/fleet");
export const ORG = "fleet";
const TARGET = "target";

/** Trials per scenario: KEYSERVICE_FAULT_TRIALS (`npm run faults -- --trials N`), and the first seed. */
export const TRIALS = Number(process.env.KEYSERVICE_FAULT_TRIALS ?? 5);
export const FIRST_SEED = Number(process.env.KEYSERVICE_FAULT_SEED ?? 20261203);
export const COUNT = Number(process.env.KEYSERVICE_FAULT_KEYS ?? 50);
/** One JSON line per checked phase, for `npm run faults` to sum up. */
export const REPORT = process.env.KEYSERVICE_FAULT_REPORT ?? path.join(REPO_ROOT, ".work", "faults-report.jsonl");

/**
 * One stack of COUNT global API keys against a `keyservice serve` process (its own database and
 * master key) reached through a fault proxy. The service can be killed and restarted on the same
 * database; the proxy follows it.
 */
export class Fleet {
  service!: SpawnedService;
  proxy!: FaultProxy;
  project!: PulumiProject;
  adminToken = "";
  readonly ledger = new SecretLedger();
  readonly random: () => number;
  private output = "";
  private replaysReported = 0;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly seed: number,
    readonly db: TestDatabase,
  ) {
    this.random = seeded(seed);
    const masterKey = testMasterKey();
    this.ledger.add(masterKey.split(":")[1]);
    this.env = { KEYSERVICE_ENCRYPTION_KEYS: masterKey, KEYSERVICE_LOG_LEVEL: "info" };
  }

  static async start(seed: number): Promise<Fleet> {
    const fleet = new Fleet(seed, await createTestDatabase("sqlite"));
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
      secrets: { "keyservice:token": fleet.adminToken },
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

  /** A client straight to the service (never through the fault proxy), without retries. */
  admin(): KeyserviceClient {
    return new KeyserviceClient({ endpoint: this.service.url, token: this.adminToken, org: ORG, maxAttempts: 1 });
  }

  /** How many writes (POST, PATCH, DELETE) the running service has answered so far. */
  writes(): number {
    return (this.service.output().match(/"method":"(POST|PATCH|DELETE)"/g) ?? []).length;
  }

  /** Every log line of every service process so far. */
  logs(): string {
    return this.output + this.service.output();
  }

  /**
   * Runs `pulumi up` and SIGKILLs the victim once the service has answered `afterWrites` more
   * writes (plus up to 30 ms): the service, or the whole `pulumi` process tree as a killed CI
   * runner would lose it. Resolves when the `pulumi` process has exited.
   */
  async upKilled(victim: "service" | "engine", afterWrites: number): Promise<RunResult & { killed: boolean }> {
    const start = this.writes();
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
      while (child.exitCode === null && this.writes() - start < afterWrites) await new Promise((r) => setTimeout(r, 5));
      if (child.exitCode !== null) return;
      await new Promise((r) => setTimeout(r, Math.floor(this.random() * 30)));
      killed = true;
      if (victim === "service") await this.killService();
      else process.kill(-child.pid!, "SIGKILL");
    })();
    const code = await exited;
    await watch;
    this.project.record(["up (fault injected)"], stdout + stderr);
    return { code, stdout, stderr, killed };
  }

  /**
   * One phase of a kill scenario: `pulumi up` with the victim SIGKILLed after a random number of
   * writes, the user's recovery, then the convergence checks, reported. With `generation`, the
   * phase rotates every key to it. Returns what converged() measured.
   */
  async killPhase(victim: "service" | "engine", phase: string, recover: () => Promise<{ ups: number; note: string }>, generation?: string): Promise<Convergence> {
    if (generation) await this.project.setConfig("generation", generation);
    const after = 1 + Math.floor(this.random() * COUNT);
    const run = await this.upKilled(victim, after);
    if (!run.killed) throw new Error(`pulumi up ended before ${after} writes: nothing was killed`);
    const { ups, note } = await recover();
    const state = await this.converged();
    const what = victim === "service" ? "the service" : "pulumi";
    await this.report(`${victim} killed`, phase, `SIGKILL of ${what} after ${after} writes${note}`, state, ups);
    return state;
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
  async storedKeys(): Promise<GlobalApiKey[]> {
    const keys: GlobalApiKey[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await this.admin().globalApiKeys.list({ limit: 100, cursor });
      keys.push(...page.items);
      if (!page.nextCursor) return keys;
      cursor = page.nextCursor;
    }
  }

  /**
   * What convergence means, measured: the stack holds COUNT keys at `generation`, each exists in
   * the service exactly once, each secret in state opens the deployment as its own key, the
   * service holds no key the stack does not own, and a further plan changes nothing.
   */
  async converged(): Promise<Convergence> {
    const outputs = await this.project.outputs(true);
    const fleet = (outputs.fleet ?? {}) as Record<string, { id: string; key: string; version: number }>;
    for (const row of Object.values(fleet)) this.ledger.add(row.key);
    const stored = await this.storedKeys();
    const inState = new Set(Object.values(fleet).map((r) => r.id));
    const byName = new Map<string, number>();
    for (const key of stored) byName.set(key.name, (byName.get(key.name) ?? 0) + 1);
    const notWorking: string[] = [];
    for (const [name, row] of Object.entries(fleet)) {
      try {
        const opened = await this.admin().deployments.execute(TARGET, row.key);
        if (opened.keyId !== row.id) notWorking.push(`${name}: opened as ${opened.keyId}`);
      } catch (err) {
        notWorking.push(`${name}: ${(err as Error).message}`);
      }
    }
    const preview = await this.project.run(["preview", "--expect-no-changes"]);
    return {
      resources: Object.keys(fleet).length,
      missing: [...inState].filter((id) => !stored.some((k) => k.id === id)),
      orphans: stored.filter((k) => !inState.has(k.id)).map((k) => `${k.name} (${k.id})`),
      duplicates: [...byName].filter(([, n]) => n > 1).map(([name]) => name),
      notWorking,
      planIsEmpty: preview.code === 0 ? true : `${preview.stdout}\n${preview.stderr}`,
    };
  }

  /**
   * Records a checked phase in the report: what was injected, how many `pulumi up` runs it took,
   * how many answers the service replayed (a create or rotation that had committed, its answer lost).
   */
  async report(scenario: string, phase: string, injected: string, state: Convergence, ups: number): Promise<void> {
    const total = await this.db.count("SELECT count(*) FROM audit_events WHERE action LIKE '%.replayed'");
    const replays = total - this.replaysReported;
    this.replaysReported = total;
    const line = { seed: this.seed, scenario, phase, injected, ups, replays, converged: JSON.stringify(state) === JSON.stringify(CONVERGED), orphans: state.orphans.length, duplicates: state.duplicates.length, notWorking: state.notWorking.length };
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

export interface Convergence {
  resources: number;
  missing: string[];
  orphans: string[];
  duplicates: string[];
  notWorking: string[];
  planIsEmpty: true | string;
}

/** The convergence every scenario must reach. */
export const CONVERGED: Convergence = { resources: COUNT, missing: [], orphans: [], duplicates: [], notWorking: [], planIsEmpty: true };
