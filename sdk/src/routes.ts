import { z } from "zod";
import { AuditEvent, AuditQuery } from "./schemas/audit";
import {
  CreateGlobalApiKeyRequest,
  CreatePlatformApiKeyRequest,
  GlobalApiKey,
  GlobalApiKeyWithSecret,
  PlatformApiKey,
  PlatformApiKeyWithSecret,
  RotateKeyRequest,
  UpdateGlobalApiKeyRequest,
  UpdatePlatformApiKeyRequest,
} from "./schemas/api-keys";
import { Empty, page, PageQuery } from "./schemas/common";
import {
  CreateDeploymentKeyRequest,
  CreateDeploymentRequest,
  Deployment,
  DeploymentKey,
  DeploymentKeyWithSecret,
  ExecuteResult,
  UpdateDeploymentRequest,
} from "./schemas/deployments";
import { Health, OpenApiDocument, Readiness } from "./schemas/health";
import { CreateLlmKeyRequest, LlmKey, UpdateLlmKeyRequest, VerifyLlmKeyRequest, VerifyLlmKeyResult } from "./schemas/llm-keys";
import { CreatedOrg, CreateOrgRequest, DeleteOrgQuery, Impersonation, ImpersonateRequest, Org, PlatformUser, StopImpersonationRequest, UpdateOrgRequest, UsersQuery } from "./schemas/admin";
import { CreateMemberRequest, Member, MemberWithToken, UpdateMemberRequest } from "./schemas/members";
import { VerifyKeyRequest, VerifyKeyResult } from "./schemas/verify";
import { Whoami } from "./schemas/whoami";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** Who may call a route, beyond the tier its HTTP method needs. */
export type Access =
  | "public" // no credential
  | "deployment" // a deployment key or a global API key (the execution path)
  | "member" // any member, or a platform key whose tier allows the method
  | "admin-or-full" // an org admin, or a full_access platform key (routes that mint or reveal a secret)
  | "admin-or-write" // an org admin, or a read_write / full_access key (no member)
  | "admin" // an org admin only (humans manage humans: no platform key)
  | "self-or-admin" // the member named in the path, or an org admin
  | "platform-admin"; // a platform admin only (routes under /api/v1/admin, across orgs)

export interface RouteDef {
  method: HttpMethod;
  /** OpenAPI-style path: `/api/v1/orgs/{org}/...`. */
  path: string;
  summary: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status: number;
  /** Accepts an `Idempotency-Key` header. */
  idempotent?: boolean;
  /** The audit action the route records (a replay records `<audit>.replayed`). */
  audit?: string;
  /** Mints a secret: the response carries `key` or `token`. */
  mintsSecret?: boolean;
  /** An impersonating platform admin may not call it: it makes a person, or issues one a token. */
  forbidsImpersonation?: true;
  /** The lowest platform-key tier allowed, when it is not the one the HTTP method implies. */
  minTier?: "read" | "read_write" | "full_access";
}

const org = "/api/v1/orgs/{org}";
const admin = "/api/v1/admin";

function route<const R extends RouteDef>(r: R): R {
  return r;
}

/** The schemas that make one API key kind (global or platform) different from the other. */
interface ApiKeySchemas<C extends z.ZodType, U extends z.ZodType, K extends z.ZodType, W extends z.ZodType> {
  create: C;
  update: U;
  key: K;
  withSecret: W;
}

/** Each route of `r` under its name followed by `Kind`: `create` of "GlobalApiKey" is `createGlobalApiKey`, `list` is `listGlobalApiKeys`. */
type Named<Kind extends string, R> = { [P in keyof R & string as P extends "list" ? `${P}${Kind}s` : `${P}${Kind}`]: R[P] };

/**
 * The six routes of an API key kind, written once: global and platform keys differ only in their
 * path segment, their name (which also names the audit actions: `global_api_key.create`) and schemas.
 */
function apiKeyRoutes<const Kind extends string, C extends z.ZodType, U extends z.ZodType, K extends z.ZodType, W extends z.ZodType>(
  kind: Kind,
  segment: string,
  label: string,
  s: ApiKeySchemas<C, U, K, W>,
): Named<Kind, ReturnType<typeof apiKeyRouteSet<C, U, K, W>>> {
  const set = apiKeyRouteSet(`${org}/${segment}`, label, label.replace(/ /g, "_").toLowerCase(), s);
  return Object.fromEntries(Object.entries(set).map(([verb, def]) => [verb === "list" ? `${verb}${kind}s` : `${verb}${kind}`, def])) as Named<Kind, typeof set>;
}

function apiKeyRouteSet<C extends z.ZodType, U extends z.ZodType, K extends z.ZodType, W extends z.ZodType>(base: string, label: string, audit: string, s: ApiKeySchemas<C, U, K, W>) {
  return {
    create: route({ method: "POST", path: base, summary: `Create a ${label}; the key is shown once`, access: "admin-or-full", body: s.create, response: s.withSecret, status: 201, idempotent: true, audit: `${audit}.create`, mintsSecret: true }),
    list: route({ method: "GET", path: base, summary: `List ${label}s`, access: "member", query: PageQuery, response: page(s.key), status: 200 }),
    get: route({ method: "GET", path: `${base}/{id}`, summary: `Get a ${label}`, access: "member", response: s.key, status: 200 }),
    update: route({ method: "PATCH", path: `${base}/{id}`, summary: `Update a ${label}`, access: "admin-or-write", body: s.update, response: s.key, status: 200 }),
    delete: route({ method: "DELETE", path: `${base}/{id}`, summary: `Revoke a ${label}`, access: "admin-or-write", status: 204 }),
    rotate: route({ method: "POST", path: `${base}/{id}/rotate`, summary: `Rotate a ${label} in place`, access: "admin-or-full", body: RotateKeyRequest, response: s.withSecret, status: 200, idempotent: true, audit: `${audit}.rotate`, mintsSecret: true }),
  };
}

/** The whole HTTP contract, written once: the service registers it, the client calls it, OpenAPI documents it. */
export const routes = {
  health: route({ method: "GET", path: "/healthz", summary: "Liveness: the process answers", access: "public", response: Health, status: 200 }),
  ready: route({ method: "GET", path: "/readyz", summary: "Readiness: the store answers (503 while it is unreachable)", access: "public", response: Readiness, status: 200 }),
  openapi: route({ method: "GET", path: "/openapi.json", summary: "This document: the API as OpenAPI 3.1", access: "public", response: OpenApiDocument, status: 200 }),

  whoami: route({ method: "GET", path: `${org}/whoami`, summary: "Who the bearer is in this org: a member's role or a platform key's tier", access: "member", response: Whoami, status: 200 }),

  createMember: route({ method: "POST", path: `${org}/members`, summary: "Create a member; the token is shown once", access: "admin", body: CreateMemberRequest, response: MemberWithToken, status: 201, idempotent: true, audit: "member.create", mintsSecret: true, forbidsImpersonation: true }),
  listMembers: route({ method: "GET", path: `${org}/members`, summary: "List members (never a token)", access: "member", query: PageQuery, response: page(Member), status: 200 }),
  getMember: route({ method: "GET", path: `${org}/members/{id}`, summary: "Get a member (never a token)", access: "member", response: Member, status: 200 }),
  updateMember: route({ method: "PATCH", path: `${org}/members/{id}`, summary: "Rename a member or change its role (the last admin cannot be demoted)", access: "admin", body: UpdateMemberRequest, response: Member, status: 200 }),
  deleteMember: route({ method: "DELETE", path: `${org}/members/{id}`, summary: "Remove a member and revoke every token it holds (the last admin cannot be removed)", access: "admin", status: 204 }),
  rotateMemberToken: route({ method: "POST", path: `${org}/members/{id}/rotate-token`, summary: "Issue a member a new token, shown once; the old one stops working (after the grace period)", access: "self-or-admin", body: RotateKeyRequest, response: MemberWithToken, status: 200, idempotent: true, audit: "member.rotate_token", mintsSecret: true, forbidsImpersonation: true }),

  createDeployment: route({ method: "POST", path: `${org}/deployments`, summary: "Create a deployment", access: "admin-or-write", body: CreateDeploymentRequest, response: Deployment, status: 201, idempotent: true, audit: "deployment.create" }),
  listDeployments: route({ method: "GET", path: `${org}/deployments`, summary: "List deployments", access: "member", query: PageQuery, response: page(Deployment), status: 200 }),
  getDeployment: route({ method: "GET", path: `${org}/deployments/{id}`, summary: "Get a deployment", access: "member", response: Deployment, status: 200 }),
  updateDeployment: route({ method: "PATCH", path: `${org}/deployments/{id}`, summary: "Rename, activate or deactivate a deployment", access: "admin-or-write", body: UpdateDeploymentRequest, response: Deployment, status: 200 }),
  deleteDeployment: route({ method: "DELETE", path: `${org}/deployments/{id}`, summary: "Delete a deployment and its keys", access: "admin-or-write", status: 204 }),
  executeDeployment: route({ method: "POST", path: `${org}/deployments/{name}/execute`, summary: "Run a deployment with a deployment key or a global API key", access: "deployment", response: ExecuteResult, status: 200 }),

  createDeploymentKey: route({ method: "POST", path: `${org}/deployments/{id}/keys`, summary: "Create a deployment key; the key is shown once", access: "admin-or-full", body: CreateDeploymentKeyRequest, response: DeploymentKeyWithSecret, status: 201, idempotent: true, audit: "deployment_key.create", mintsSecret: true }),
  listDeploymentKeys: route({ method: "GET", path: `${org}/deployments/{id}/keys`, summary: "List a deployment's keys (masked)", access: "member", query: PageQuery, response: page(DeploymentKey), status: 200 }),
  deleteDeploymentKey: route({ method: "DELETE", path: `${org}/deployments/{id}/keys/{keyId}`, summary: "Revoke a deployment key", access: "admin-or-write", status: 204 }),

  ...apiKeyRoutes("GlobalApiKey", "global-api-keys", "global API key", { create: CreateGlobalApiKeyRequest, update: UpdateGlobalApiKeyRequest, key: GlobalApiKey, withSecret: GlobalApiKeyWithSecret }),
  ...apiKeyRoutes("PlatformApiKey", "platform-api-keys", "platform API key", { create: CreatePlatformApiKeyRequest, update: UpdatePlatformApiKeyRequest, key: PlatformApiKey, withSecret: PlatformApiKeyWithSecret }),

  verifyKey: route({ method: "POST", path: `${org}/keys/verify`, summary: "Check a key without using it", access: "admin-or-full", body: VerifyKeyRequest, response: VerifyKeyResult, status: 200 }),
  listAuditEvents: route({ method: "GET", path: `${org}/audit-events`, summary: "List audit events, oldest first (newest first with order=desc)", access: "admin-or-full", query: AuditQuery, response: page(AuditEvent), status: 200 }),

  // A tenant's provider secrets: every write, delete and verify needs an org admin or a full_access key.
  createLlmKey: route({ method: "POST", path: `${org}/llm-keys`, summary: "Store a provider key, encrypted", access: "admin-or-full", body: CreateLlmKeyRequest, response: LlmKey, status: 201, idempotent: true, audit: "llm_key.create" }),
  listLlmKeys: route({ method: "GET", path: `${org}/llm-keys`, summary: "List LLM keys (hints only)", access: "member", query: PageQuery, response: page(LlmKey), status: 200 }),
  getLlmKey: route({ method: "GET", path: `${org}/llm-keys/{id}`, summary: "Get an LLM key (hint only)", access: "member", response: LlmKey, status: 200 }),
  updateLlmKey: route({ method: "PATCH", path: `${org}/llm-keys/{id}`, summary: "Relabel, or replace the secret in place", access: "admin-or-full", body: UpdateLlmKeyRequest, response: LlmKey, status: 200 }),
  deleteLlmKey: route({ method: "DELETE", path: `${org}/llm-keys/{id}`, summary: "Delete an LLM key", access: "admin-or-full", status: 204 }),
  verifyLlmKey: route({ method: "POST", path: `${org}/llm-keys/{id}/verify`, summary: "Compare a value with the stored secret in constant time (rate-limited per caller)", access: "admin-or-full", body: VerifyLlmKeyRequest, response: VerifyLlmKeyResult, status: 200 }),

  createOrg: route({ method: "POST", path: `${admin}/orgs`, summary: "Create an org and its first admin; the admin token is shown once", access: "platform-admin", body: CreateOrgRequest, response: CreatedOrg, status: 201, mintsSecret: true }),
  listOrgs: route({ method: "GET", path: `${admin}/orgs`, summary: "List orgs", access: "platform-admin", query: PageQuery, response: page(Org), status: 200 }),
  getOrg: route({ method: "GET", path: `${admin}/orgs/{slug}`, summary: "Get an org", access: "platform-admin", response: Org, status: 200 }),
  updateOrg: route({ method: "PATCH", path: `${admin}/orgs/{slug}`, summary: "Rename an org, or deactivate it (every credential of it is refused) and reactivate it", access: "platform-admin", body: UpdateOrgRequest, response: Org, status: 200 }),
  deleteOrg: route({ method: "DELETE", path: `${admin}/orgs/{slug}`, summary: "Delete an org and revoke everything it issued (refused while it has keys, unless force=true)", access: "platform-admin", query: DeleteOrgQuery, status: 204 }),
  listUsers: route({ method: "GET", path: `${admin}/users`, summary: "List members across orgs (never a token)", access: "platform-admin", query: UsersQuery, response: page(PlatformUser), status: 200 }),
  impersonate: route({ method: "POST", path: `${admin}/impersonate`, summary: "Act as an admin of one org for at most an hour, for a stated reason; the token is shown once", access: "platform-admin", body: ImpersonateRequest, response: Impersonation, status: 201, mintsSecret: true }),
  stopImpersonation: route({ method: "POST", path: `${admin}/stop-impersonation`, summary: "Revoke an impersonation token before it expires", access: "platform-admin", body: StopImpersonationRequest, status: 204 }),
} satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;

export { Empty };
