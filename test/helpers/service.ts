import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { KeyserviceClient } from "@keyservice/sdk";
import { bootstrapOrg, openStore, resolveConfig, type RunningService, startService } from "@keyservice/service";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const CLI = path.join(REPO_ROOT, "service/dist/cli.js");

export interface TestService {
  url: string;
  dir: string;
  dbPath: string;
  /** Everything the service logged so far. */
  logs(): string;
  client(token?: string, org?: string): KeyserviceClient;
  /** Creates an org (if missing) and a new admin, as `keyservice bootstrap` does. */
  bootstrap(org: string): Promise<{ org: string; adminToken: string }>;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  env?: NodeJS.ProcessEnv;
  authFailureLimit?: number;
  dir?: string;
}

export function tempDir(prefix = "keyservice-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts the real service in this process on a free 127.0.0.1 port over a fresh SQLite file. */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const dir = options.dir ?? tempDir();
  const dbPath = path.join(dir, "keyservice.db");
  let logText = "";
  const stream = new PassThrough();
  stream.on("data", (chunk: Buffer) => (logText += chunk.toString("utf8")));
  const config = resolveConfig({
    db: dbPath,
    port: 0,
    host: "127.0.0.1",
    logLevel: "debug",
    authFailureLimit: options.authFailureLimit ?? 1000,
    env: { ...process.env, KEYSERVICE_ENCRYPTION_KEYS: "", ...options.env },
  });
  const service: RunningService = await startService(config, stream);
  return {
    url: service.url,
    dir,
    dbPath,
    logs: () => logText,
    client: (token, org) => new KeyserviceClient({ endpoint: service.url, token, org, backoffMs: 10 }),
    bootstrap: async (org) => {
      const store = openStore({ url: dbPath });
      try {
        return await bootstrapOrg(store, org);
      } finally {
        await store.destroy();
      }
    },
    close: () => service.close(),
  };
}

export interface SpawnedService {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `keyservice serve` as a child process, as a user would, and waits for its URL. */
export async function spawnService(args: string[], env: NodeJS.ProcessEnv = {}): Promise<SpawnedService> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`keyservice serve did not start:\n${out}`)), 15_000);
    child.stdout!.on("data", () => {
      const m = /keyservice listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`keyservice serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
