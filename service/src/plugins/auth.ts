import { ApiError, type HttpMethod, type Permission, permissionRank, type RouteDef } from "@keyservice/sdk";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clientOf } from "../auth/client-address";
import { type CredentialEntry, whyDead } from "../cache/entries";
import { MAX_TOKEN_LENGTH, rawDigest, tokenKind } from "../crypto/tokens";
import type { CredentialKind } from "../db/tables/credentials.table";
import { recordFailedAuthentication } from "../domain/audit";
import type { OrgCaller } from "../domain/caller";
import type { AuthFailureReason } from "../metrics";

export const UNAUTHORIZED = "A valid credential is required: send Authorization: Bearer <token>.";

/** The credentials of the API (deployment and global keys open deployments only: on the API they are no credential, 401). */
const API_KINDS: readonly CredentialKind[] = ["user", "platform", "platform_admin", "impersonation"];

/** The org a request acts in, as authentication found it. */
export interface OrgRef {
  id: string;
  slug: string;
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== "string") return undefined;
  // The scheme name is case-insensitive (RFC 9110 §11.1).
  const match = /^Bearer ([!-~]{1,512})$/i.exec(header.trim());
  return match?.[1];
}

export type Found = { entry: CredentialEntry } | { reason: AuthFailureReason };

/**
 * The live credential a request carries, if it is of one of `kinds`, or why there is none. A
 * token the cache holds is answered at once, with no promise (its digest matched a stored
 * credential, so it is well formed and of its entry's kind). Any other is checked for its shape
 * (prefix, length, checksum) and refused without a lookup when malformed, then looked up.
 */
export function liveCredential(app: FastifyInstance, req: FastifyRequest, kinds: readonly CredentialKind[]): Found | Promise<Found> {
  const token = bearerToken(req);
  if (!token) return { reason: "missing" };
  // Hashing is the first cost of a lookup: an attacker's long garbage never pays for it.
  if (token.length > MAX_TOKEN_LENGTH) return { reason: "malformed" };
  const digest = rawDigest(token);
  const cached = app.resolver.cachedCredential(digest);
  if (cached) return kinds.includes(cached.kind) ? alive(cached) : { reason: "wrong_kind" };
  const kind = tokenKind(token);
  if (!kind) return { reason: "malformed" };
  if (!kinds.includes(kind)) return { reason: "wrong_kind" };
  return app.resolver.credential(digest).then((entry) => (entry && entry.kind === kind ? alive(entry) : { reason: "unknown" }));
}

function alive(entry: CredentialEntry): Found {
  const dead = whyDead(entry, Date.now());
  return dead ? { reason: dead } : { entry };
}

/**
 * Refuses a request that carried no valid credential: counts the failure against the client
 * (shared by every instance), and records it once per org, client and window in the org's audit
 * trail. Over the limit the answer is 429, otherwise the same 401 whatever was wrong.
 */
export async function refuse(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, orgSlug: string | undefined, reason: AuthFailureReason): Promise<never> {
  const client = clientOf(req.ip);
  const now = Date.now();
  const verdict = await app.authFailures.hit(client, now);
  app.metrics.authFailures.inc({ reason: verdict.limited ? "rate_limited" : reason });
  if (verdict.limited) {
    reply.header("retry-after", String(Math.max(1, Math.ceil((verdict.windowEnd - now) / 1000))));
    throw new ApiError("rate_limited", "Too many failed authentications from this address; retry after the time in Retry-After.");
  }
  const orgId = orgSlug ? await app.resolver.orgId(orgSlug) : undefined;
  if (orgId) {
    await recordFailedAuthentication(app.db, orgId, client, app.authFailures.windowStart(now), `${req.method} ${req.routeOptions.url ?? ""}`);
  }
  throw new ApiError("unauthorized", UNAUTHORIZED);
}

/** Who an org's request acts as, and in which org. */
export interface Authenticated {
  caller: OrgCaller;
  org: OrgRef;
}

/**
 * `found`, or the promise of it, passed to `then`: with no promise when it is already known (a
 * cached credential), so the hot paths answer a warm token without a microtask.
 */
function whenFound<T>(found: Found | Promise<Found>, then: (found: Found) => T | Promise<T>): T | Promise<T> {
  return found instanceof Promise ? found.then(then) : then(found);
}

/**
 * Resolves the bearer token to a caller acting in the org of the URL: a member, a platform key, or
 * an impersonation. A cached token is answered at once (no promise); a refusal is always a
 * rejected promise, a forbidden credential a 403 thrown (or rejected, after a lookup).
 */
export function authenticate(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): Authenticated | Promise<Authenticated> {
  return whenFound(liveCredential(app, req, API_KINDS), (found) => admitToOrg(app, req, reply, found));
}

function admitToOrg(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, found: Found): Authenticated | Promise<never> {
  const orgSlug = (req.params as { org?: string }).org;
  if ("reason" in found) return refuse(app, req, reply, orgSlug, found.reason);
  const { entry } = found;
  if (entry.kind === "platform_admin") {
    throw new ApiError("forbidden", "A platform admin token acts only on /api/v1/admin; to act in an org, start an impersonation (POST /api/v1/admin/impersonate).");
  }
  if (entry.orgSlug !== orgSlug) throw new ApiError("forbidden", "This credential belongs to another org.");
  app.usage.touch(entry.ownerId, entry.kind);
  req.callerId = `${entry.kind}:${entry.ownerId}`;
  const org = { id: entry.orgId, slug: entry.orgSlug };
  switch (entry.kind) {
    case "user":
      return { caller: { kind: "user", id: entry.ownerId, orgId: entry.orgId, role: entry.role }, org };
    case "platform":
      return { caller: { kind: "platform", id: entry.ownerId, orgId: entry.orgId, permission: entry.permission }, org };
    case "impersonation":
      return { caller: { kind: "impersonation", id: entry.ownerId, orgId: entry.orgId, adminId: entry.adminId }, org };
    default:
      throw new ApiError("unauthorized", UNAUTHORIZED);
  }
}

/**
 * Resolves the bearer token of a /api/v1/admin request to a platform admin: any other valid
 * credential is a 403. Like `authenticate`, with no promise for a cached token.
 */
export function authenticatePlatformAdmin(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): { id: string } | Promise<{ id: string }> {
  return whenFound(liveCredential(app, req, API_KINDS), (found) => {
    if ("reason" in found) return refuse(app, req, reply, undefined, found.reason);
    const { entry } = found;
    if (entry.kind !== "platform_admin") throw new ApiError("forbidden", "Only a platform admin can do this (a ks_adm_ token from `keyservice bootstrap --platform-admin`).");
    app.usage.touch(entry.ownerId, entry.kind);
    req.callerId = `platform_admin:${entry.ownerId}`;
    return { id: entry.ownerId };
  });
}

const METHOD_TIER: Record<HttpMethod, Permission> = { GET: "read", POST: "read_write", PATCH: "read_write", DELETE: "full_access" };

/** Checks role and tier for a route of an org; throws 403 with a sentence saying what would be allowed. */
export function authorize(caller: OrgCaller, def: RouteDef, params: Record<string, string>): void {
  const { access } = def;
  if (caller.kind === "impersonation") {
    if (def.forbidsImpersonation) throw new ApiError("forbidden", "An impersonation token cannot create members or issue their tokens.");
    return;
  }
  if (caller.kind === "user") {
    if (caller.role === "admin" || access === "member") return;
    if (access === "self-or-admin" && params.id === caller.id) return;
    throw new ApiError("forbidden", "Members can only read; this needs an org admin" + (access === "admin" || access === "self-or-admin" ? "." : " or a platform API key of a higher tier."));
  }
  if (access === "admin" || access === "self-or-admin") throw new ApiError("forbidden", "Only an org admin can do this: people are managed by people, not by platform keys.");
  const needed = def.minTier ?? METHOD_TIER[def.method];
  if (permissionRank[caller.permission] < permissionRank[needed]) {
    throw new ApiError("forbidden", `A ${caller.permission} key cannot ${def.method}; that needs a ${needed} key or above.`);
  }
  if (access === "admin-or-full" && caller.permission !== "full_access") {
    throw new ApiError("forbidden", "This mints or reveals a secret: it needs an org admin or a full_access key.");
  }
}
