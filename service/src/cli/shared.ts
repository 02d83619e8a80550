import { KeyserviceClient } from "@keyservice/sdk";
import { InvalidArgumentError } from "commander";
import type { ServiceConfig } from "../config";
import type { Store } from "../db/connect";
import { openReachableStore } from "../server";

export const DB_HELP = "SQLite file, :memory:, or postgres://user:password@host:5432/database";

export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${value}" is not a port (0-65535).`);
  return n;
}

export function wholeSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a whole number of seconds.`);
  return n;
}

/** Runs a command against the store, closing it however the command ends. */
export async function withStore<T>(config: ServiceConfig, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openReachableStore(config, () => {});
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * A client of a running service, for the commands that go through the API: the endpoint from
 * --endpoint or KEYSERVICE_ENDPOINT, the token only from KEYSERVICE_TOKEN (never a flag, so it
 * stays out of shell history and process lists).
 */
export function apiClient(opts: { endpoint?: string; org?: string }): KeyserviceClient {
  const endpoint = opts.endpoint ?? process.env.KEYSERVICE_ENDPOINT;
  const token = process.env.KEYSERVICE_TOKEN;
  if (!endpoint) throw new Error("No endpoint: pass --endpoint <url> or set KEYSERVICE_ENDPOINT.");
  if (!token) throw new Error("No token: set KEYSERVICE_TOKEN (a platform admin token for `orgs`, an org admin token for `members`).");
  return new KeyserviceClient({ endpoint, token, org: opts.org, userAgent: "keyservice-cli" });
}

/** Prints one result as one JSON line. */
export function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}
