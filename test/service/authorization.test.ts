import { authorization, CALLER_CLASSES, type CallerClass, type KeyserviceClient, type RouteName, routes, WITHOUT_CREDENTIAL } from "@keyservice/sdk";
import { contractViolations } from "../helpers/contract";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, type TestOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

/**
 * Every route of the route table × every kind of caller, against the policy table beside it
 * (`sdk/src/authorization.ts`): the status each caller gets, 0 escalations (a refused write changes
 * nothing), 0 cross-org reads (another org's credentials get 403 in this org's URLs).
 */
const suite = serviceSuite({ authFailureLimit: 1_000_000 });

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

let theirs: TestOrg;
let platformToken: string;
let admin: KeyserviceClient;
let platform: KeyserviceClient;
let deployment: { id: string; name: string };
const tokens = {} as Record<CallerClass, string | undefined>;

/** A token of the right shape with one character changed: its checksum no longer matches. */
function breakChecksum(token: string): string {
  const last = token.at(-1) === "A" ? "B" : "A";
  return token.slice(0, -1) + last;
}

beforeAll(async () => {
  const org = suite.org;
  admin = org.admin;
  theirs = await newOrg(suite.svc, suite.ledger, "theirs");
  platformToken = suite.ledger.add(await suite.svc.platformAdmin());
  platform = suite.svc.client(platformToken);
  deployment = await org.deployment("target");
  const fullKey = async (extra: { expiresAt?: string; isActive?: boolean } = {}) => (await org.platformKey("full_access", extra));
  tokens.orgAdmin = org.adminToken;
  tokens.member = await org.memberToken("member");
  tokens.read = (await org.platformKey("read")).key;
  tokens.readWrite = (await org.platformKey("read_write")).key;
  tokens.fullAccess = (await fullKey()).key;
  tokens.impersonation = suite.ledger.add((await platform.admin.impersonate({ org: org.slug, reason: "authorization matrix" })).token);
  tokens.deploymentKey = (await admin.deployments.keys.create(deployment.id)).key;
  tokens.globalKey = (await admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [deployment.id] })).key;
  tokens.platformAdmin = platformToken;
  tokens.otherOrgAdmin = theirs.adminToken;
  tokens.otherOrgFullAccess = (await theirs.platformKey("full_access")).key;
  tokens.expiredKey = (await fullKey({ expiresAt: "2001-01-01T00:00:00Z" })).key;
  tokens.inactiveKey = (await fullKey({ isActive: false })).key;
  const rotated = await fullKey();
  suite.ledger.add((await admin.platformApiKeys.rotate(rotated.id, { gracePeriodSeconds: 1 })).key);
  tokens.rotatedOutKey = rotated.key;
  tokens.noToken = undefined;
  tokens.badChecksum = breakChecksum(org.adminToken);
  tokens.badPrefix = "ks_xyz_" + org.adminToken.slice("ks_usr_".length);
  // The rotated-out key's grace (1 s) must have ended before any case runs.
  await new Promise((r) => setTimeout(r, 1100));
}, 60_000);

const name = () => uniqueName("m");
const globalKey = async () => (await admin.globalApiKeys.create({ name: name(), allowAllDeployments: true })).id;
const readKey = async () => (await admin.platformApiKeys.create({ name: name(), permission: "read" })).id;
const member = async () => (await admin.members.create({ name: name(), role: "member" })).id;
const llmKey = async () => (await admin.llmKeys.create({ provider: name(), label: "l", apiKey: `sk-${name()}` })).id;
const freshOrg = async () => {
  const created = await platform.admin.orgs.create({ slug: uniqueName("o") });
  suite.ledger.add(created.adminToken);
  return created.org.slug;
};

/** For each route, a well-formed call on a fresh target, so that an allowed caller succeeds and a refusal is about authorization alone. */
const prepare: Record<RouteName, () => Promise<Call>> = {
  health: async () => ({}),
  ready: async () => ({}),
  openapi: async () => ({}),
  whoami: async () => ({}),
  createMember: async () => ({ body: { name: name(), role: "member" } }),
  listMembers: async () => ({}),
  getMember: async () => ({ params: { id: await member() } }),
  updateMember: async () => ({ params: { id: await member() }, body: { name: name() } }),
  deleteMember: async () => ({ params: { id: await member() } }),
  rotateMemberToken: async () => ({ params: { id: await member() }, body: {} }),
  createDeployment: async () => ({ body: { name: name() } }),
  listDeployments: async () => ({}),
  getDeployment: async () => ({ params: { id: deployment.id } }),
  updateDeployment: async () => ({ params: { id: (await admin.deployments.create({ name: name() })).id }, body: { name: name() } }),
  deleteDeployment: async () => ({ params: { id: (await admin.deployments.create({ name: name() })).id } }),
  executeDeployment: async () => ({ params: { name: deployment.name } }),
  createDeploymentKey: async () => ({ params: { id: deployment.id }, body: {} }),
  listDeploymentKeys: async () => ({ params: { id: deployment.id } }),
  deleteDeploymentKey: async () => ({ params: { id: deployment.id, keyId: (await admin.deployments.keys.create(deployment.id)).id } }),
  createGlobalApiKey: async () => ({ body: { name: name(), allowAllDeployments: true } }),
  listGlobalApiKeys: async () => ({}),
  getGlobalApiKey: async () => ({ params: { id: await globalKey() } }),
  updateGlobalApiKey: async () => ({ params: { id: await globalKey() }, body: { description: "narrowing is open to read_write" } }),
  deleteGlobalApiKey: async () => ({ params: { id: await globalKey() } }),
  rotateGlobalApiKey: async () => ({ params: { id: await globalKey() }, body: {} }),
  createPlatformApiKey: async () => ({ body: { name: name(), permission: "read" } }),
  listPlatformApiKeys: async () => ({}),
  getPlatformApiKey: async () => ({ params: { id: await readKey() } }),
  updatePlatformApiKey: async () => ({ params: { id: await readKey() }, body: { description: "narrowing is open to read_write" } }),
  deletePlatformApiKey: async () => ({ params: { id: await readKey() } }),
  rotatePlatformApiKey: async () => ({ params: { id: await readKey() }, body: {} }),
  verifyKey: async () => ({ body: { key: tokens.globalKey } }),
  listAuditEvents: async () => ({}),
  createLlmKey: async () => ({ body: { provider: name(), label: "l", apiKey: `sk-${name()}` } }),
  listLlmKeys: async () => ({}),
  getLlmKey: async () => ({ params: { id: await llmKey() } }),
  updateLlmKey: async () => ({ params: { id: await llmKey() }, body: { label: "relabelled" } }),
  deleteLlmKey: async () => ({ params: { id: await llmKey() } }),
  verifyLlmKey: async () => ({ params: { id: await llmKey() }, body: { apiKey: "sk-a-guess" } }),
  createOrg: async () => ({ body: { slug: uniqueName("o") } }),
  listOrgs: async () => ({}),
  getOrg: async () => ({ params: { slug: theirs.slug } }),
  updateOrg: async () => ({ params: { slug: await freshOrg() }, body: { name: "renamed" } }),
  deleteOrg: async () => ({ params: { slug: await freshOrg() } }),
  listUsers: async () => ({}),
  impersonate: async () => ({ body: { org: suite.org.slug, reason: "matrix" } }),
  stopImpersonation: async () => ({ body: { id: (await platform.admin.impersonate({ org: suite.org.slug, reason: "to stop" })).id } }),
};

/** The status the policy table says this caller gets on this route. */
function expectedStatus(route: RouteName, caller: CallerClass): number {
  const def = routes[route];
  if ((authorization[route].allow as readonly CallerClass[]).includes(caller)) return def.status;
  if (WITHOUT_CREDENTIAL.includes(caller)) return 401;
  // The execution path takes deployment and global keys only: any other credential is not one.
  if (def.access === "deployment") return 401;
  // Deployment and global keys open deployments; they are no credential for the API.
  if (caller === "deploymentKey" || caller === "globalKey") return 401;
  return 403;
}

function url(route: RouteName, call: Call): string {
  const path = routes[route].path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(key === "org" ? suite.org.slug : (call.params?.[key] ?? "")));
  const query = call.query ? `?${new URLSearchParams(call.query)}` : "";
  return path + query;
}

/** What a refused write could have changed, in either org and across the platform (audit and rate windows aside): one query. */
async function fingerprint(): Promise<unknown> {
  const count = (t: string) => `(SELECT count(*) FROM ${t}) AS ${t}`;
  const tables = ["orgs", "users", "deployments", "deployment_keys", "api_keys", "api_key_deployments", "credentials", "llm_keys", "impersonations", "platform_admins"];
  return suite.svc.db.query(
    `SELECT ${tables.map(count).join(", ")},
       (SELECT sum(version) FROM api_keys) AS key_versions, (SELECT max(updated_at) FROM api_keys) AS keys_updated, (SELECT sum(is_active) FROM api_keys) AS keys_active,
       (SELECT max(updated_at) FROM deployments) AS deployments_updated, (SELECT sum(is_active) FROM deployments) AS deployments_active,
       (SELECT sum(is_active) FROM orgs) AS orgs_active, (SELECT max(updated_at) FROM orgs) AS orgs_updated,
       (SELECT count(ended_at) FROM impersonations) AS impersonations_ended,
       (SELECT sum(version) FROM llm_keys) AS llm_versions, (SELECT max(updated_at) FROM llm_keys) AS llm_updated,
       (SELECT max(created_at) FROM credentials) AS credentials_created, (SELECT count(expires_at) FROM credentials) AS credentials_expiring`,
  );
}

const cases = (Object.keys(routes) as RouteName[]).flatMap((route) => CALLER_CLASSES.map((caller) => [route, caller] as const));

describe("the authorization matrix: every route × every caller", () => {
  it("covers at least 150 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases)("%s by %s", async (route, caller) => {
    const call = await prepare[route]();
    const expected = expectedStatus(route, caller);
    const mutates = routes[route].method !== "GET";
    const before = expected >= 400 && mutates ? await fingerprint() : undefined;
    const token = tokens[caller];
    const res = await rawRequest(suite.svc.url, routes[route].method, url(route, call), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: call.body,
    });
    // A created secret goes into the ledger, so the final search looks for it too.
    for (const secret of [res.json?.key, res.json?.token, res.json?.adminToken]) if (typeof secret === "string") suite.ledger.add(secret);
    expect({ route, caller, status: res.status, code: res.json?.error?.code }).toEqual({
      route,
      caller,
      status: expected,
      code: expected >= 400 ? (expected === 401 ? "unauthorized" : "forbidden") : undefined,
    });
    // Every answer, allowed or refused, matches the OpenAPI document the service serves.
    expect(contractViolations(route, res.status, res.text === "" ? undefined : res.json)).toEqual([]);
    // 0 escalations: a refused write leaves everything as it was.
    if (before !== undefined) expect(await fingerprint()).toEqual(before);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
