import type { HttpMethod, RouteDef } from "./routes";
import { type Permission, permissionRank } from "./schemas/api-keys";
import type { Whoami } from "./schemas/whoami";

/** The lowest platform-key tier each HTTP method needs. */
export const methodTier: Record<HttpMethod, Permission> = { GET: "read", POST: "read_write", PATCH: "read_write", DELETE: "full_access" };

/**
 * Whether the service lets `who` call a route, by its access rule and tier (the service's
 * `authorize`; test/service/whoami.test.ts checks the two agree on every route and tier). A
 * console offers only what this allows; the service still refuses the rest.
 */
export function mayCall(who: Whoami, def: Pick<RouteDef, "access" | "method" | "minTier">): boolean {
  if (def.access === "public") return true;
  if (def.access === "deployment") return false;
  if (who.kind === "user") return who.role === "admin" || def.access === "member";
  if (permissionRank[who.permission] < permissionRank[def.minTier ?? methodTier[def.method]]) return false;
  if (def.access === "admin") return false;
  if (def.access === "admin-or-full") return who.permission === "full_access";
  return true;
}

/** Whether `who` may give a platform key this tier, or change or revoke a key of it: no caller reaches above its own tier. */
export function mayHandleTier(who: Whoami, permission: Permission): boolean {
  return who.kind === "user" || permissionRank[permission] <= permissionRank[who.permission];
}

/** Whether `who` may widen a key (re-activate it, raise its tier, extend its expiry, add deployments): a read_write key only narrows. */
export function mayWiden(who: Whoami): boolean {
  return who.kind === "user" || who.permission === "full_access";
}
