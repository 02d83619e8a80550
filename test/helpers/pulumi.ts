import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, tempDir } from "./service";

let cachedEngine: string | undefined;

/** The directory holding `pulumi` and its plugins (`npm run engine` builds or reuses it). */
export function engineBin(): string {
  if (!cachedEngine) {
    const env = { ...process.env, KEYSERVICE_ENGINE_QUIET: "1" };
    const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts/engine.sh")], { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"] });
    cachedEngine = out.trim().split("\n").pop()!;
  }
  return cachedEngine;
}

/**
 * PATH for the CLI: the engine, then the directory of the Node running the tests. The language host
 * and the dynamic-provider plugin run the first `node` on PATH, so a run on Node 24 never quietly
 * runs its programs and providers on the machine's Node 20.
 */
export function enginePath(): string {
  return [engineBin(), path.dirname(process.execPath), process.env.PATH].join(path.delimiter);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the engine's `pulumi` (never interactive) with this whole environment and `stdin`; never throws on a non-zero exit. */
export function runPulumi(args: string[], { cwd, env, stdin = "" }: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(engineBin(), "pulumi"), ["--non-interactive", ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.end(stdin);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ProjectOptions {
  /** A folder with Pulumi.yaml, index.ts and tsconfig.json (copied, so runs never write into the repo). */
  programDir: string;
  stack?: string;
  /** Plain config values. */
  config?: Record<string, string>;
  /** Secret config values (e.g. keyservice:token). */
  secrets?: Record<string, string>;
  env?: Record<string, string>;
}

/** Where a test's engine runs happen: a working copy of the program and a backend dir of its own. */
export interface ScratchProject {
  /** The working copy, inside the repo so the program and the dynamic provider resolve @keyservice/pulumi and typescript. */
  dir: string;
  /** The file backend (`state/`) and PULUMI_HOME (`home/`). */
  backendDir: string;
}

export function scratchProject(programDir: string): ScratchProject {
  const workRoot = path.join(REPO_ROOT, ".work");
  fs.mkdirSync(workRoot, { recursive: true });
  const dir = fs.mkdtempSync(path.join(workRoot, `${path.basename(programDir)}-`));
  fs.cpSync(programDir, dir, { recursive: true });
  const backendDir = tempDir("keyservice-pulumi-");
  fs.mkdirSync(path.join(backendDir, "state"));
  return { dir, backendDir };
}

/**
 * What the CLI needs beside the machine's environment: the engine on PATH, the file backend, a
 * passphrase, its own PULUMI_HOME, nothing fetched or checked online, and no KEYSERVICE_* settings
 * of the machine's leaking in; `extra` last.
 */
export function engineEnv(backendDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: enginePath(),
    PULUMI_BACKEND_URL: `file://${path.join(backendDir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
    PULUMI_HOME: path.join(backendDir, "home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    KEYSERVICE_ENDPOINT: "",
    KEYSERVICE_ORG: "",
    KEYSERVICE_TOKEN: "",
    ...extra,
  };
}

/** The backend's file for a stack (the latest checkpoint; history and backups sit beside it under backendDir). */
export function stackFileOf({ backendDir }: ScratchProject, stack: string): string {
  const stacks = path.join(backendDir, "state", ".pulumi", "stacks");
  for (const project of fs.readdirSync(stacks)) {
    const file = path.join(stacks, project, `${stack}.json`);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`The backend under ${stacks} holds no file for stack "${stack}".`);
}

/** Removes the working copy and the backend. */
export function removeScratch({ dir, backendDir }: ScratchProject): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(backendDir, { recursive: true, force: true });
}

/**
 * A Pulumi project run with the real CLI on a file backend and a passphrase, isolated in its own
 * PULUMI_HOME. Every byte the CLI prints is kept, so tests can search the transcript for secrets.
 * For what the Automation API cannot do: a process the test kills, a command fed on stdin, a
 * README's commands as written (most suites use ./automation.ts).
 */
export class PulumiProject implements ScratchProject {
  readonly dir: string;
  readonly backendDir: string;
  readonly stack: string;
  private readonly env: NodeJS.ProcessEnv;
  private log = "";

  private constructor(options: ProjectOptions) {
    ({ dir: this.dir, backendDir: this.backendDir } = scratchProject(options.programDir));
    this.stack = options.stack ?? "test";
    this.env = { ...process.env, ...engineEnv(this.backendDir, options.env) };
  }

  static async create(options: ProjectOptions): Promise<PulumiProject> {
    const project = new PulumiProject(options);
    await project.ok(["stack", "init", project.stack]);
    for (const [k, v] of Object.entries(options.config ?? {})) await project.setConfig(k, v);
    for (const [k, v] of Object.entries(options.secrets ?? {})) await project.setConfig(k, v, true);
    return project;
  }

  /** The directory of the engine's binaries. */
  static engine(): string {
    return engineBin();
  }

  /** The environment every command of this project runs with (backend, passphrase, PULUMI_HOME). */
  environment(): NodeJS.ProcessEnv {
    return { ...this.env };
  }

  /** Adds a command run outside `run` (e.g. one a test killed) to the transcript. */
  record(args: string[], output: string): void {
    this.log += `$ pulumi ${args.join(" ")}\n${output}\n`;
  }

  /** Runs the CLI in the project; never throws on a non-zero exit. */
  async run(args: string[], env: NodeJS.ProcessEnv = {}, opts: { stdin?: string; reveals?: boolean } = {}): Promise<RunResult> {
    const result = await runPulumi(args, { cwd: this.dir, env: { ...this.env, ...env }, stdin: opts.stdin });
    // Output the test asked to reveal (--show-secrets) is the test's own reading, not the transcript's.
    this.log += `$ pulumi ${args.join(" ")}\n${opts.reveals ? "[revealed output withheld]\n" : result.stdout + result.stderr}\n`;
    return result;
  }

  /** Runs the CLI and fails with its output when it exits non-zero. */
  async ok(args: string[], env: NodeJS.ProcessEnv = {}, opts: { stdin?: string; reveals?: boolean } = {}): Promise<RunResult> {
    const result = await this.run(args, env, opts);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  setConfig(key: string, value: string, secret = false): Promise<RunResult> {
    // Secrets go through stdin, as a careful user would do, so no command line ever holds one.
    if (secret) return this.ok(["config", "set", "--secret", key], {}, { stdin: value });
    return this.ok(["config", "set", "--plaintext", "--", key, value]);
  }

  up(args: string[] = []): Promise<RunResult> {
    return this.ok(["up", "--yes", "--skip-preview", ...args]);
  }

  preview(args: string[] = []): Promise<RunResult> {
    return this.ok(["preview", "--diff", ...args]);
  }

  refresh(args: string[] = []): Promise<RunResult> {
    return this.ok(["refresh", "--yes", "--skip-preview", ...args]);
  }

  destroy(args: string[] = []): Promise<RunResult> {
    return this.ok(["destroy", "--yes", "--skip-preview", ...args]);
  }

  /** Stack outputs; secrets in plaintext only with showSecrets. */
  async outputs(showSecrets = false): Promise<Record<string, any>> {
    const r = await this.ok(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])], {}, { reveals: showSecrets });
    return JSON.parse(r.stdout);
  }

  /** The stack's state as the backend stores it (secrets as ciphertext). */
  async state(): Promise<any> {
    const r = await this.ok(["stack", "export"]);
    return JSON.parse(r.stdout);
  }

  /** The backend's file for this stack (the latest checkpoint; history and backups sit beside it under backendDir). */
  stackFile(): string {
    return stackFileOf(this, this.stack);
  }

  /** Everything the CLI printed so far, commands included. */
  transcript(): string {
    return this.log;
  }

  /** Removes the working copy and the backend. */
  cleanup(): void {
    removeScratch(this);
  }
}
