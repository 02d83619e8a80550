import path from "node:path";
import { parseTrustProxy, type TrustProxy } from "./auth/trust-proxy";
import { isPostgresUrl } from "./db/urls";

export interface ServiceConfig {
  /** `:memory:`, a SQLite file path, or a `postgres://` URL (never logged: it may hold a password). */
  db: string;
  /** PostgreSQL connections per instance. */
  dbPoolSize: number;
  /** Bring the schema up to date on start (else refuse to serve on an older one). */
  migrate: boolean;
  host: string;
  port: number;
  logLevel: string;
  /** Failed authentications allowed per client per window before 429. */
  authFailureLimit: number;
  authFailureWindowMs: number;
  /** Clients over the limit remembered in memory (an LRU), so a flood from them costs no store writes. */
  authFailureMemory: number;
  /** LLM-key verifications allowed per caller per window before 429. */
  llmVerifyLimit: number;
  llmVerifyWindowMs: number;
  /** Which proxies are believed about the client's address (KEYSERVICE_TRUST_PROXY). */
  trustProxy: TrustProxy;
  /** Where /metrics is served (a port of its own); unset: not served. */
  metricsPort: number | undefined;
  /** Credentials kept in each instance's cache. */
  cacheSize: number;
  /** How often `lastUsedAt` is written. */
  usageFlushMs: number;
  /** Where a development master key is kept when KEYSERVICE_ENCRYPTION_KEYS is unset (SQLite only). */
  devKeyFile: string;
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_DB = path.join(".keyservice", "keyservice.db");

/** A whole number from the environment, or the default when unset. A typo must not turn a limit into NaN (no limit). */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === "") return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new Error(`${name}="${text}" is not a whole number of at least ${min}: set one, or unset it for the default (${fallback}).`);
  }
  return n;
}

export function resolveConfig(options: Partial<ServiceConfig> & { env?: NodeJS.ProcessEnv }): ServiceConfig {
  const env = options.env ?? process.env;
  const db = options.db ?? env.KEYSERVICE_DB ?? DEFAULT_DB;
  if (env.NODE_ENV === "production" && db === ":memory:") {
    throw new Error("NODE_ENV=production refuses an in-memory database: pass --db with a file path or a postgres:// URL.");
  }
  const dataDir = db === ":memory:" || isPostgresUrl(db) ? ".keyservice" : path.dirname(path.resolve(db));
  return {
    db,
    dbPoolSize: options.dbPoolSize ?? wholeNumber(env, "KEYSERVICE_DB_POOL_SIZE", 10, 1),
    migrate: options.migrate ?? env.KEYSERVICE_MIGRATE !== "false",
    host: options.host ?? env.KEYSERVICE_HOST ?? "127.0.0.1",
    port: options.port ?? wholeNumber(env, "KEYSERVICE_PORT", 8080, 0),
    logLevel: options.logLevel ?? env.KEYSERVICE_LOG_LEVEL ?? "info",
    authFailureLimit: options.authFailureLimit ?? wholeNumber(env, "KEYSERVICE_AUTH_FAILURE_LIMIT", 20, 1),
    authFailureWindowMs: options.authFailureWindowMs ?? wholeNumber(env, "KEYSERVICE_AUTH_FAILURE_WINDOW_MS", 60_000, 1),
    authFailureMemory: options.authFailureMemory ?? wholeNumber(env, "KEYSERVICE_AUTH_FAILURE_MEMORY", 10_000, 1),
    llmVerifyLimit: options.llmVerifyLimit ?? wholeNumber(env, "KEYSERVICE_LLM_VERIFY_LIMIT", 60, 1),
    llmVerifyWindowMs: options.llmVerifyWindowMs ?? wholeNumber(env, "KEYSERVICE_LLM_VERIFY_WINDOW_MS", 60_000, 1),
    trustProxy: options.trustProxy ?? parseTrustProxy(env.KEYSERVICE_TRUST_PROXY),
    metricsPort: options.metricsPort ?? (env.KEYSERVICE_METRICS_PORT?.trim() ? wholeNumber(env, "KEYSERVICE_METRICS_PORT", 0, 0) : undefined),
    cacheSize: options.cacheSize ?? wholeNumber(env, "KEYSERVICE_CACHE_SIZE", 200_000, 1),
    usageFlushMs: options.usageFlushMs ?? wholeNumber(env, "KEYSERVICE_USAGE_FLUSH_MS", 5_000, 10),
    devKeyFile: options.devKeyFile ?? path.join(dataDir, "dev-encryption.key"),
    env,
  };
}
