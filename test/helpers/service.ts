import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { PassThrough } from "node:stream";
import { KeyserviceClient } from "@keyservice/sdk";
import type { FastifyInstance } from "fastify";
import { bootstrapOrg, bootstrapPlatformAdmin, openStore, resolveConfig, type RunningService, startService } from "@keyservice/service";
import { createTestDatabase, type StoreKind, type TestDatabase, tempDir } from "./store";

export { tempDir } from "./store";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const CLI = path.join(REPO_ROOT, "service/dist/cli.js");

export interface TestService {
  url: string;
  /** The in-process app, for what only the process can tell (its cache's counters) or do (flush lastUsedAt now). */
  app: FastifyInstance;
  /** A temp dir of this service's own (the SQLite file and the development master key live here). */
  dir: string;
  /** The service's database (SQLite or PostgreSQL, as the jest project says), for checking what it stored. */
  db: TestDatabase;
  /** Everything the service logged so far. */
  logs(): string;
  client(token?: string, org?: string): KeyserviceClient;
  /** Creates an org (if missing) and a new admin, as `keyservice bootstrap` does. */
  bootstrap(org: string): Promise<{ org: string; adminToken: string }>;
  /** A new platform admin's token, as `keyservice bootstrap --platform-admin` makes one. */
  platformAdmin(name?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  env?: NodeJS.ProcessEnv;
  authFailureLimit?: number;
  /** Reuse this database (e.g. to restart a service over what an earlier one stored). */
  db?: TestDatabase;
  /** The store to use when no `db` is given. @default this jest project's store */
  store?: StoreKind;
  /** @default "debug" (every request's line is written) */
  logLevel?: string;
}

/** A master key entry for KEYSERVICE_ENCRYPTION_KEYS (PostgreSQL refuses to start without one). */
export function testMasterKey(id = "test"): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

/**
 * Starts the real service in this process on a free 127.0.0.1 port over a fresh database of the
 * jest project's store. On SQLite without KEYSERVICE_ENCRYPTION_KEYS it makes a development key
 * beside the database; PostgreSQL needs a master key, so one is made per service.
 */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const db = options.db ?? (await createTestDatabase(options.store));
  const dir = db.dir;
  let logText = "";
  const stream = new PassThrough();
  stream.on("data", (chunk: Buffer) => (logText += chunk.toString("utf8")));
  const masterKeys = db.kind === "postgres" ? testMasterKey() : "";
  const config = resolveConfig({
    db: db.url,
    port: 0,
    host: "127.0.0.1",
    logLevel: options.logLevel ?? "debug",
    authFailureLimit: options.authFailureLimit ?? 1000,
    env: { ...process.env, KEYSERVICE_ENCRYPTION_KEYS: masterKeys, ...options.env },
  });
  const service: RunningService = await startService(config, stream);
  return {
    url: service.url,
    app: service.app,
    dir,
    db,
    logs: () => logText,
    client: (token, org) => new KeyserviceClient({ endpoint: service.url, token, org, backoffMs: 10 }),
    bootstrap: async (org) => {
      const store = openStore({ url: db.url });
      try {
        return await bootstrapOrg(store, org);
      } finally {
        await store.close();
      }
    },
    platformAdmin: async (name) => {
      const store = openStore({ url: db.url });
      try {
        return (await bootstrapPlatformAdmin(store, name)).platformAdminToken;
      } finally {
        await store.close();
      }
    },
    close: async () => {
      await service.close();
      // A database handed in belongs to the caller; one made here goes with the service.
      if (!options.db) await db.drop();
    },
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
