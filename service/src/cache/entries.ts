import type { Permission } from "@keyservice/sdk";

/** The org a credential belongs to, as authentication needs it (mutable only for interning its strings). */
interface OrgFacts {
  orgId: string;
  orgSlug: string;
  orgActive: boolean;
  /** When the credential row itself stops working: a rotated-out secret's grace end (null: never). */
  credentialExpiresAt: number | null;
  ownerId: string;
}

/**
 * Everything the auth and execute paths need about one credential, loaded from the store once and
 * kept until a write that changes it evicts it. Instants are compared with the clock on every use.
 */
export type CredentialEntry = OrgFacts &
  (
    | { kind: "user"; role: "admin" | "member" }
    | { kind: "platform"; isActive: boolean; keyExpiresAt: number | null; permission: Permission }
    | { kind: "global"; isActive: boolean; keyExpiresAt: number | null; allowAllDeployments: boolean; deploymentIds: Scope }
    /** Its deployment's state comes along: `keys/verify` answers from the cache, and a deployment's update evicts its keys. */
    | { kind: "deployment"; deploymentId: string; deploymentActive: boolean }
    /** A platform admin's own token: it belongs to no org (orgId ""), and opens only /api/v1/admin. */
    | { kind: "platform_admin" }
    /** A platform admin acting as an admin of one org (ownerId is the impersonation). */
    | { kind: "impersonation"; adminId: string }
  );

/**
 * The deployments a scoped global key opens: a list while it is short (most keys name a few; an
 * array costs a fraction of a Set, and 100,000 keys are cached), a Set past SCOPE_LIST_MAX.
 */
export type Scope = readonly string[] | ReadonlySet<string>;
export const SCOPE_LIST_MAX = 16;

export function scopeOf(ids: readonly string[]): Scope {
  return ids.length > SCOPE_LIST_MAX ? new Set(ids) : ids;
}

export function inScope(scope: Scope, id: string): boolean {
  return scope instanceof Set ? scope.has(id) : (scope as readonly string[]).includes(id);
}

/** A deployment as execute needs it, found by org and name. */
export interface DeploymentEntry {
  id: string;
  orgId: string;
  name: string;
  isActive: boolean;
}

/** Tags name what an entry depends on; a write evicts by the tags of what it changed. */
export const tag = {
  owner: (id: string) => `o:${id}`,
  org: (id: string) => `g:${id}`,
  deployment: (id: string) => `d:${id}`,
  /** Every entry of every kind. */
  all: "*",
};

export function deploymentTags(entry: DeploymentEntry): string[] {
  return [tag.deployment(entry.id), tag.org(entry.orgId)];
}

/** Why a credential opens nothing right now (its org, its own grace, its key's state and expiry); undefined while it works. */
export function whyDead(entry: CredentialEntry, now: number): "org_inactive" | "expired" | "inactive" | undefined {
  if (!entry.orgActive) return "org_inactive";
  if (entry.credentialExpiresAt !== null && entry.credentialExpiresAt <= now) return "expired";
  if (entry.kind === "platform" || entry.kind === "global") {
    if (!entry.isActive) return "inactive";
    if (entry.keyExpiresAt !== null && entry.keyExpiresAt <= now) return "expired";
  }
  return undefined;
}
