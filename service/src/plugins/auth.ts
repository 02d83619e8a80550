import { type Access, ApiError, type HttpMethod, type Permission, permissionRank } from "@keyservice/sdk";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clientOf } from "../auth/client-address";
import { type CredentialEntry, isLive } from "../cache/entries";
import type { CredentialKind } from "../db/tables/credentials.table";
import { tokenKind } from "../crypto/tokens";
import { recordFailedAuthentication } from "../domain/audit";
import type { Caller } from "../domain/caller";

export const UNAUTHORIZED = "A valid credential is required: send Authorization: Bearer <token>.";

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

/**
 * The live credential a request carries, if it is of one of `kinds`: malformed tokens (prefix,
 * length, checksum) are refused without a lookup, and the cache answers the rest when it may.
 */
export async function liveCredential(app: FastifyInstance, req: FastifyRequest, kinds: readonly CredentialKind[]): Promise<CredentialEntry | undefined> {
  const token = bearerToken(req);
  const kind = token ? tokenKind(token) : undefined;
  if (!token || !kind || !kinds.includes(kind)) return undefined;
  const entry = await app.resolver.credential(token);
  if (!entry || entry.kind !== kind || !isLive(entry, Date.now())) return undefined;
  return entry;
}

/**
 * Refuses a request that carried no valid credential: counts the failure against the client
 * (shared by every instance), and records it once per org, client and window in the org's audit
 * trail. Over the limit the answer is 429, otherwise the same 401 whatever was wrong.
 */
export async function refuse(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, orgSlug: string | undefined): Promise<never> {
  const client = clientOf(req.ip);
  const now = Date.now();
  const verdict = await app.authFailures.hit(client, now);
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

/** Resolves the bearer token to an org member or a platform API key of the org in the URL. */
export async function authenticate(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply): Promise<{ caller: Caller; org: OrgRef }> {
  const orgSlug = (req.params as { org?: string }).org;
  const entry = await liveCredential(app, req, ["user", "platform"]);
  if (!entry) return refuse(app, req, reply, orgSlug);
  if (entry.orgSlug !== orgSlug) throw new ApiError("forbidden", "This credential belongs to another org.");
  app.usage.touch(entry.ownerId, entry.kind);
  const org = { id: entry.orgId, slug: entry.orgSlug };
  if (entry.kind === "user") return { caller: { kind: "user", id: entry.ownerId, orgId: entry.orgId, role: entry.role }, org };
  if (entry.kind === "platform") return { caller: { kind: "platform", id: entry.ownerId, orgId: entry.orgId, permission: entry.permission }, org };
  throw new ApiError("unauthorized", UNAUTHORIZED);
}

const METHOD_TIER: Record<HttpMethod, Permission> = { GET: "read", POST: "read_write", PATCH: "read_write", DELETE: "full_access" };

/** Checks role and tier for a route; throws 403 with a sentence saying what would be allowed. */
export function authorize(caller: Caller, access: Access, method: HttpMethod, minTier?: Permission): void {
  if (caller.kind === "user") {
    if (caller.role === "admin") return;
    if (access === "member") return;
    throw new ApiError("forbidden", "Members can only read; this needs an org admin" + (access === "admin" ? "." : " or a platform API key of a higher tier."));
  }
  const needed = minTier ?? METHOD_TIER[method];
  if (permissionRank[caller.permission] < permissionRank[needed]) {
    throw new ApiError("forbidden", `A ${caller.permission} key cannot ${method}; that needs a ${needed} key or above.`);
  }
  if (access === "admin") throw new ApiError("forbidden", "Only an org admin can do this.");
  if (access === "admin-or-full" && caller.permission !== "full_access") {
    throw new ApiError("forbidden", "This mints or reveals a secret: it needs an org admin or a full_access key.");
  }
}
