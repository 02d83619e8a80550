import { type Access, ApiError, type HttpMethod, permissionRank } from "@keyservice/sdk";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { digestToken, tokenKind } from "../crypto/tokens";
import { apiKeyById, credentialByDigest, orgById, userById } from "../db/hot-queries";
import type { CredentialRow } from "../db/tables/credentials.table";
import { AuthFailureLimiter } from "./auth-failure-limiter";
import type { Caller } from "./context";

declare module "fastify" {
  interface FastifyInstance {
    authFailures: AuthFailureLimiter;
  }
}

const UNAUTHORIZED = "A valid credential is required: send Authorization: Bearer <token>.";

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== "string") return undefined;
  // The scheme name is case-insensitive (RFC 9110 §11.1).
  const match = /^Bearer ([!-~]{1,512})$/i.exec(header.trim());
  return match?.[1];
}

/** Looks a token up by digest; undefined unless it is live (its own expiry, for rotated-out secrets). */
export async function findLiveCredential(app: FastifyInstance, token: string, now = Date.now()): Promise<CredentialRow | undefined> {
  const row = await credentialByDigest(app.store, digestToken(token));
  if (!row) return undefined;
  if (row.expiresAt !== null && Number(row.expiresAt) <= now) return undefined;
  return row;
}

/** Fails the request with 429 when this client address has failed too often, and records a new failure. */
export async function failAuthentication(app: FastifyInstance, req: FastifyRequest, orgSlug: string | undefined): Promise<never> {
  app.authFailures.recordFailure(req.ip);
  if (orgSlug) {
    const org = await app.store.selectFrom("orgs").select("id").where("slug", "=", orgSlug).executeTakeFirst();
    if (org) await app.audit(org.id, `client:${req.ip}`, { action: "auth.failed", outcome: "failure", target: `${req.method} ${req.routeOptions.url ?? ""}` });
  }
  throw new ApiError("unauthorized", UNAUTHORIZED);
}

export function ensureNotRateLimited(app: FastifyInstance, req: FastifyRequest): void {
  if (app.authFailures.isBlocked(req.ip)) {
    throw new ApiError("rate_limited", "Too many failed authentications from this address; retry in a minute.");
  }
}

/** Resolves the bearer token to an org member or a platform API key of the org in the URL. */
export async function authenticate(app: FastifyInstance, req: FastifyRequest): Promise<Caller> {
  ensureNotRateLimited(app, req);
  const orgSlug = (req.params as { org?: string }).org;
  const token = bearerToken(req);
  const kind = token ? tokenKind(token) : undefined;
  const now = Date.now();
  const cred = token && (kind === "user" || kind === "platform") ? await findLiveCredential(app, token, now) : undefined;
  let caller: Caller | undefined;
  if (cred?.kind === "user") {
    const user = await userById(app.store, cred.ownerId);
    if (user) caller = { kind: "user", id: user.id, orgId: user.orgId, role: user.role };
  } else if (cred?.kind === "platform") {
    const key = await apiKeyById(app.store, cred.ownerId);
    const live = key && key.isActive === 1 && (key.expiresAt === null || Number(key.expiresAt) > now);
    if (key && live && key.permission) caller = { kind: "platform", id: key.id, orgId: key.orgId, permission: key.permission };
  }
  if (!caller) return failAuthentication(app, req, orgSlug);
  const org = await orgById(app.store, caller.orgId);
  if (!org || org.slug !== orgSlug) {
    throw new ApiError("forbidden", "This credential belongs to another org.");
  }
  req.org = org;
  return caller;
}

const METHOD_TIER: Record<HttpMethod, keyof typeof permissionRank> = { GET: "read", POST: "read_write", PATCH: "read_write", DELETE: "full_access" };

/** Checks role and tier for a route; throws 403 with a sentence saying what would be allowed. */
export function authorize(caller: Caller, access: Access, method: HttpMethod, minTier?: keyof typeof permissionRank): void {
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

export const authPlugin = fp(
  async (app) => {
    app.decorate("authFailures", new AuthFailureLimiter(app.config.authFailureLimit, app.config.authFailureWindowMs));
  },
  { name: "keyservice-auth", dependencies: ["keyservice-context", "keyservice-audit"] },
);
