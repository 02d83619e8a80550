import { KeyserviceClient } from "@keyservice/sdk";
import { agentFor } from "./connections";

/** What `configure` received from the stack config; env vars are the fallback, read at call time. */
interface Settings {
  endpoint?: string;
  org?: string;
  token?: string;
}

let configured: Settings = {};

interface ConfigLike {
  get(key: string): string | undefined;
}

/** Called by the engine with the whole stack config (secrets decrypted); nothing here reaches state. */
export function configure(config: ConfigLike): void {
  configured = {
    endpoint: config.get("keyservice:endpoint") || undefined,
    org: config.get("keyservice:org") || undefined,
    token: config.get("keyservice:token") || undefined,
  };
}

export function currentOrg(): string {
  const org = configured.org ?? process.env.KEYSERVICE_ORG;
  if (!org) throw new Error("No keyservice org: set `pulumi config set keyservice:org <slug>` or KEYSERVICE_ORG.");
  return org;
}

let last: { endpoint: string; token: string; org: string; client: KeyserviceClient } | undefined;

/**
 * The client for this call, from stack config or, failing that, KEYSERVICE_ENDPOINT / _ORG / _TOKEN
 * (read at every call): the same client while those stay the same, over kept-alive connections.
 */
export function client(): KeyserviceClient {
  const endpoint = configured.endpoint ?? process.env.KEYSERVICE_ENDPOINT;
  const token = configured.token ?? process.env.KEYSERVICE_TOKEN;
  if (!endpoint) throw new Error("No keyservice endpoint: set `pulumi config set keyservice:endpoint <url>` or KEYSERVICE_ENDPOINT.");
  if (!token) throw new Error("No keyservice token: set `pulumi config set --secret keyservice:token <token>` or KEYSERVICE_TOKEN.");
  const org = currentOrg();
  if (last?.endpoint !== endpoint || last.token !== token || last.org !== org) {
    last = { endpoint, token, org, client: new KeyserviceClient({ endpoint, token, org, userAgent: "keyservice-pulumi", agent: agentFor }) };
  }
  return last.client;
}
