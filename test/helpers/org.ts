import { randomBytes } from "node:crypto";
import type { Deployment, HttpCaller, KeyserviceClient, Permission } from "@keyservice/sdk";
import type { SecretLedger } from "./secrets";
import type { TestService } from "./service";

/** The five kinds of caller of the management API, weakest first. */
export type Tier = "read" | "read_write" | "full_access" | "member" | "admin";
export const TIERS: readonly Tier[] = ["read", "read_write", "full_access", "member", "admin"];

let counter = 0;

/** A name no other test in this process uses (lowercase, so it is also a valid org slug). */
export function uniqueName(prefix = "x"): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString("hex")}`;
}

/** Makes a client record every secret it is handed (`key` or `token` of a response) in the ledger. */
export function recordSecrets(client: KeyserviceClient, ledger: SecretLedger): KeyserviceClient {
  const call = client.http.call.bind(client.http);
  client.http.call = (async (name, opts) => {
    const result = await call(name, opts);
    if (result && typeof result === "object") {
      const { key, token } = result as { key?: unknown; token?: unknown };
      if (typeof key === "string") ledger.add(key);
      if (typeof token === "string") ledger.add(token);
    }
    return result;
  }) as HttpCaller["call"];
  return client;
}

/** An org made by `bootstrap`, with clients that record every secret they see. */
export class TestOrg {
  readonly admin: KeyserviceClient;

  constructor(
    readonly svc: TestService,
    readonly ledger: SecretLedger,
    readonly slug: string,
    readonly adminToken: string,
  ) {
    this.admin = this.client(adminToken);
  }

  /** A client for this org's URLs with any bearer (or none). */
  client(token?: string): KeyserviceClient {
    return recordSecrets(this.svc.client(token, this.slug), this.ledger);
  }

  /** A new member's token. */
  async memberToken(role: "admin" | "member" = "member"): Promise<string> {
    return (await this.admin.members.create({ name: uniqueName(role), role })).token;
  }

  /** A new platform API key of a tier, made by the admin. */
  async platformKey(permission: Permission, extra: { expiresAt?: string | null; isActive?: boolean } = {}) {
    return this.admin.platformApiKeys.create({ name: uniqueName(`pak-${permission}`), permission, ...extra });
  }

  /** One bearer token per tier: three platform keys, a member and the admin. */
  async tierTokens(): Promise<Record<Tier, string>> {
    return {
      read: (await this.platformKey("read")).key,
      read_write: (await this.platformKey("read_write")).key,
      full_access: (await this.platformKey("full_access")).key,
      member: await this.memberToken("member"),
      admin: this.adminToken,
    };
  }

  async deployment(name = uniqueName("dep"), isActive = true): Promise<Deployment> {
    return this.admin.deployments.create({ name, isActive });
  }
}

/** Bootstraps a fresh org in the service, as `keyservice bootstrap` does. */
export async function newOrg(svc: TestService, ledger: SecretLedger, prefix = "org"): Promise<TestOrg> {
  const { org, adminToken } = await svc.bootstrap(uniqueName(prefix));
  ledger.add(adminToken);
  return new TestOrg(svc, ledger, org, adminToken);
}
