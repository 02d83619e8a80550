import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { KeyserviceError } from "@keyservice/sdk";
import Database from "better-sqlite3";
import { CLI } from "../../helpers/service";

/** A master key entry for KEYSERVICE_ENCRYPTION_KEYS: `<id>:<base64 of 32 random bytes>`. */
export function masterKey(id: string): { id: string; entry: string; material: string } {
  const material = randomBytes(32).toString("base64");
  return { id, entry: `${id}:${material}`, material };
}

/** A provider-looking secret, long enough to be found by the SecretLedger and unique per call. */
export function providerSecret(prefix = "sk-test-"): string {
  return prefix + randomBytes(24).toString("hex");
}

/** The rejection of a client call, as the typed error every failed call carries. */
export async function failure(call: Promise<unknown>): Promise<KeyserviceError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof KeyserviceError) return err;
    throw err;
  }
  throw new Error("Expected the call to fail, but it succeeded.");
}

export interface LlmKeyDbRow {
  id: string;
  org_id: string;
  provider: string;
  label: string;
  key_hint: string;
  sealed_key: string;
  version: number;
}

/** Reads the llm_keys table straight from the SQLite file (read-only). */
export function llmKeyRows(dbPath: string): LlmKeyDbRow[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare("SELECT id, org_id, provider, label, key_hint, sealed_key, version FROM llm_keys ORDER BY id").all() as LlmKeyDbRow[];
  } finally {
    db.close();
  }
}

export function llmKeyRow(dbPath: string, id: string): LlmKeyDbRow | undefined {
  return llmKeyRows(dbPath).find((r) => r.id === id);
}

/** Runs SQL against the SQLite file, as an attacker or a careless operator with file access could. */
export function writeSql(dbPath: string, statement: string, ...params: unknown[]): void {
  const db = new Database(dbPath);
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

export function querySql<T>(dbPath: string, statement: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(statement).all(...params) as T[];
  } finally {
    db.close();
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`node service/dist/cli.js ...`) as a user would, without blocking the in-process service. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
