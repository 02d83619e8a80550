import path from "node:path";

export interface ServiceConfig {
  /** `:memory:` or a SQLite file path (a `postgres://` URL is refused until PostgreSQL lands). */
  db: string;
  host: string;
  port: number;
  logLevel: string;
  /** Failed authentications allowed per client address per window before 429. */
  authFailureLimit: number;
  authFailureWindowMs: number;
  /** Where a development master key is kept when KEYSERVICE_ENCRYPTION_KEYS is unset. */
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
    throw new Error("NODE_ENV=production refuses an in-memory database: pass --db with a file path.");
  }
  const dataDir = db === ":memory:" ? ".keyservice" : path.dirname(path.resolve(db));
  return {
    db,
    host: options.host ?? env.KEYSERVICE_HOST ?? "127.0.0.1",
    port: options.port ?? wholeNumber(env, "KEYSERVICE_PORT", 8080, 0),
    logLevel: options.logLevel ?? env.KEYSERVICE_LOG_LEVEL ?? "info",
    authFailureLimit: options.authFailureLimit ?? wholeNumber(env, "KEYSERVICE_AUTH_FAILURE_LIMIT", 20, 1),
    authFailureWindowMs: options.authFailureWindowMs ?? wholeNumber(env, "KEYSERVICE_AUTH_FAILURE_WINDOW_MS", 60_000, 1),
    devKeyFile: options.devKeyFile ?? path.join(dataDir, "dev-encryption.key"),
    env,
  };
}
