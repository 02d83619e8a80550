import fs from "node:fs";
import path from "node:path";
import {
  CommandError,
  type DestroyOptions,
  LocalWorkspace,
  type PreviewOptions,
  PulumiCommand,
  type RefreshOptions,
  type Stack,
  type UpOptions,
} from "@pulumi/pulumi/automation";
import { engineBin, engineEnv, type ProjectOptions, removeScratch, runPulumi, type ScratchProject, scratchProject, stackFileOf } from "./pulumi";

let command: Promise<PulumiCommand> | undefined;

/** The repo's engine (`npm run engine`) as the Automation API's CLI: it runs `<root>/bin/pulumi`, with the plugins beside it. */
export function engineCommand(): Promise<PulumiCommand> {
  return (command ??= PulumiCommand.get({ root: path.dirname(engineBin()) }));
}

/** Where an operation's printed text goes. */
type Handlers = Pick<UpOptions, "onOutput" | "onError">;

/**
 * A stack of a copied Pulumi program driven through the Automation API with the repo's engine, on a
 * file backend with a passphrase and its own PULUMI_HOME (as ./pulumi.ts sets them up). Everything
 * the CLI prints during up, preview, refresh and destroy goes into the transcript, so tests can
 * search it for secrets. (Not the engine events: their debug diagnostics carry every
 * RegisterResource response of the Node SDK, issued keys in plaintext, which the CLI never prints.)
 */
export class AutomationStack implements ScratchProject {
  private log = "";

  private constructor(
    readonly dir: string,
    readonly backendDir: string,
    /** The Automation API's stack, for what needs no transcript: outputs, config, history. */
    readonly stack: Stack,
  ) {}

  static async create(options: ProjectOptions): Promise<AutomationStack> {
    const scratch = scratchProject(options.programDir);
    try {
      const envVars = engineEnv(scratch.backendDir, options.env);
      const stack = await LocalWorkspace.createOrSelectStack({ workDir: scratch.dir, stackName: options.stack ?? "test" }, { envVars, pulumiCommand: await engineCommand() });
      const project = new AutomationStack(scratch.dir, scratch.backendDir, stack);
      for (const [k, v] of Object.entries(options.config ?? {})) await project.setConfig(k, v);
      for (const [k, v] of Object.entries(options.secrets ?? {})) await project.setConfig(k, v, true);
      return project;
    } catch (err) {
      removeScratch(scratch);
      throw err;
    }
  }

  /** The operation's own handlers (if any), and the transcript. */
  private traced<T extends Handlers>(opts: T): T {
    const keep = (text: string) => void (this.log += text);
    return {
      ...opts,
      onOutput: (text: string) => (keep(text), opts.onOutput?.(text)),
      onError: (text: string) => (keep(text), opts.onError?.(text)),
    };
  }

  up(opts: UpOptions = {}) {
    return this.stack.up(this.traced(opts));
  }

  /** A preview with `--diff` unless told otherwise: the diff shows each planned property change. */
  preview(opts: PreviewOptions = {}) {
    return this.stack.preview(this.traced({ diff: true, ...opts }));
  }

  refresh(opts: RefreshOptions = {}) {
    return this.stack.refresh(this.traced(opts));
  }

  destroy(opts: DestroyOptions = {}) {
    return this.stack.destroy(this.traced(opts));
  }

  /** Runs an up or a preview that must fail, and returns what the CLI printed; throws if it succeeds. */
  async failing(op: "up" | "preview"): Promise<string> {
    let printed = "";
    const keep = (text: string) => void (printed += text);
    const run = op === "up" ? this.stack.up(this.traced({ onOutput: keep, onError: keep })) : this.stack.preview(this.traced({ onOutput: keep, onError: keep }));
    const error = await run.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(error instanceof CommandError)) throw new Error(`pulumi ${op} was expected to fail, but it ${error === undefined ? "succeeded" : `threw ${String(error)}`}.`);
    return printed;
  }

  /**
   * Sets a config value with the CLI reading it from stdin. The Automation API's `setConfig` puts
   * the value on the command line, where `ps` sees it and a failed command's error message repeats it.
   */
  async setConfig(key: string, value: string, secret = false): Promise<void> {
    const args = ["config", "set", secret ? "--secret" : "--plaintext", "--stack", this.stack.name, key];
    const result = await runPulumi(args, { cwd: this.dir, env: { ...process.env, ...this.stack.workspace.envVars }, stdin: value });
    this.log += result.stdout + result.stderr;
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }

  /** The stack outputs in plaintext (`stack.outputs()` also says which of them are secret). */
  async outputs(): Promise<Record<string, any>> {
    return Object.fromEntries(Object.entries(await this.stack.outputs()).map(([name, output]) => [name, output.value]));
  }

  /** The backend's file for this stack (the latest checkpoint; history and backups sit beside it under backendDir). */
  stackFile(): string {
    return stackFileOf(this, this.stack.name);
  }

  /** The resources of the latest checkpoint as the backend stores them: secrets as ciphertext (`exportStack()` would reveal them). */
  resources(): any[] {
    return JSON.parse(fs.readFileSync(this.stackFile(), "utf8")).checkpoint.latest?.resources ?? [];
  }

  /** Everything the CLI printed so far. */
  transcript(): string {
    return this.log;
  }

  /** Removes the working copy and the backend. */
  cleanup(): void {
    removeScratch(this);
  }
}
