import { authorization, type CallerClass } from "./authorization";
import type { RouteName } from "./routes";
import { type Permission, permissionRank } from "./schemas/api-keys";
import type { Whoami } from "./schemas/whoami";

const TIER_CLASS: Record<Permission, CallerClass> = { read: "read", read_write: "readWrite", full_access: "fullAccess" };

/** Which row of the authorization table a signed-in caller falls under. */
export function callerClassOf(who: Whoami): CallerClass {
  if (who.kind === "user") return who.role === "admin" ? "orgAdmin" : "member";
  if (who.kind === "impersonation") return "impersonation";
  return TIER_CLASS[who.permission];
}

/**
 * Whether `who` may call a route, read from the authorization table itself (the one statement of
 * the policy; the service's checks are tested against it). A console offers only what this allows;
 * the service still refuses the rest.
 */
export function mayCall(who: Whoami, route: RouteName): boolean {
  return (authorization[route].allow as readonly CallerClass[]).includes(callerClassOf(who));
}

/** Whether `who` may give a platform key this tier, or change or revoke a key of it: no key reaches above its own tier. */
export function mayHandleTier(who: Whoami, permission: Permission): boolean {
  return who.kind !== "platform" || permissionRank[permission] <= permissionRank[who.permission];
}

/** Whether `who` may widen a key (re-activate it, raise its tier, extend its expiry, add deployments): a read_write key only narrows. */
export function mayWiden(who: Whoami): boolean {
  return who.kind !== "platform" || who.permission === "full_access";
}
