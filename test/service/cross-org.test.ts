import { type KeyserviceClient, type RouteName, routes } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, type TestOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();
let mine: TestOrg;
let theirs: TestOrg;
/** Org B's resources, which org A's callers try to reach. */
let b: { deploymentId: string; deploymentName: string; deploymentKeyId: string; deploymentKey: string; globalId: string; globalKey: string; platformId: string; platformKey: string };

beforeAll(async () => {
  mine = await newOrg(suite.svc, suite.ledger, "org-a");
  theirs = await newOrg(suite.svc, suite.ledger, "org-b");
  const dep = await theirs.deployment();
  const depKey = await theirs.admin.deployments.keys.create(dep.id);
  const global = await theirs.admin.globalApiKeys.create({ name: "b-global", deploymentIds: [dep.id] });
  const platform = await theirs.platformKey("read");
  b = { deploymentId: dep.id, deploymentName: dep.name, deploymentKeyId: depKey.id, deploymentKey: depKey.key, globalId: global.id, globalKey: global.key, platformId: platform.id, platformKey: platform.key };
});

/** Everything of org B, as rows: it must not change when org A's callers try. */
/** Rows as a request could change them: last_used_at is written in the background, batched, by earlier calls. */
function withoutUsage(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(({ last_used_at: _ignored, ...rest }) => rest);
}

async function snapshotOfB(): Promise<unknown> {
  const [{ id: orgId }] = await suite.svc.db.query<{ id: string }>("SELECT id FROM orgs WHERE slug = ?", theirs.slug);
  return {
    users: withoutUsage(await suite.svc.db.query("SELECT * FROM users WHERE org_id = ? ORDER BY id", orgId)),
    deployments: await suite.svc.db.query("SELECT * FROM deployments WHERE org_id = ? ORDER BY id", orgId),
    deploymentKeys: withoutUsage(await suite.svc.db.query("SELECT * FROM deployment_keys WHERE org_id = ? ORDER BY id", orgId)),
    apiKeys: withoutUsage(await suite.svc.db.query("SELECT * FROM api_keys WHERE org_id = ? ORDER BY id", orgId)),
    credentials: await suite.svc.db.query("SELECT * FROM credentials WHERE org_id = ? ORDER BY digest", orgId),
  };
}

/** One call per management route, with the path ids and a valid body. */
const calls: [RouteName, () => { params?: Record<string, string>; body?: unknown }][] = [
  ["createMember", () => ({ body: { name: uniqueName("m"), role: "admin" } })],
  ["createDeployment", () => ({ body: { name: uniqueName("d") } })],
  ["listDeployments", () => ({})],
  ["getDeployment", () => ({ params: { id: b.deploymentId } })],
  ["updateDeployment", () => ({ params: { id: b.deploymentId }, body: { isActive: false } })],
  ["deleteDeployment", () => ({ params: { id: b.deploymentId } })],
  ["createDeploymentKey", () => ({ params: { id: b.deploymentId }, body: {} })],
  ["listDeploymentKeys", () => ({ params: { id: b.deploymentId } })],
  ["deleteDeploymentKey", () => ({ params: { id: b.deploymentId, keyId: b.deploymentKeyId } })],
  ["createGlobalApiKey", () => ({ body: { name: uniqueName("g"), allowAllDeployments: true } })],
  ["listGlobalApiKeys", () => ({})],
  ["getGlobalApiKey", () => ({ params: { id: b.globalId } })],
  ["updateGlobalApiKey", () => ({ params: { id: b.globalId }, body: { isActive: false } })],
  ["deleteGlobalApiKey", () => ({ params: { id: b.globalId } })],
  ["rotateGlobalApiKey", () => ({ params: { id: b.globalId }, body: {} })],
  ["createPlatformApiKey", () => ({ body: { name: uniqueName("p"), permission: "full_access" } })],
  ["listPlatformApiKeys", () => ({})],
  ["getPlatformApiKey", () => ({ params: { id: b.platformId } })],
  ["updatePlatformApiKey", () => ({ params: { id: b.platformId }, body: { permission: "full_access" } })],
  ["deletePlatformApiKey", () => ({ params: { id: b.platformId } })],
  ["rotatePlatformApiKey", () => ({ params: { id: b.platformId }, body: {} })],
  ["verifyKey", () => ({ body: { key: b.globalKey } })],
  ["listAuditEvents", () => ({})],
];
const title = (name: RouteName) => `${routes[name].method} ${routes[name].path.replace(/\{(\w+)\}/g, ":$1")}`;

describe.each(calls.map(([name, args]) => ({ name, args, title: title(name) })))("$title on another org", ({ name, args }) => {
  it("returns 403 to an org admin of another org, and changes nothing there", async () => {
    const before = await snapshotOfB();
    await expectApiError(suite.svc.client(mine.adminToken, theirs.slug).http.call(name, args()), 403, "forbidden");
    expect(await snapshotOfB()).toEqual(before);
  });

  it("returns 403 to a full_access key of another org, and changes nothing there", async () => {
    const full = await mine.platformKey("full_access");
    const before = await snapshotOfB();
    await expectApiError(suite.svc.client(full.key, theirs.slug).http.call(name, args()), 403, "forbidden");
    expect(await snapshotOfB()).toEqual(before);
  });
});

/** The routes that take an id: in org A's URL, org B's ids do not exist. */
const byId = calls.filter(([name]) => routes[name].path.includes("{id}"));

describe.each(byId.map(([name, args]) => ({ name, args, title: title(name) })))("$title with another org's id", ({ name, args }) => {
  it("returns 404 to this org's admin, and changes nothing in the other org", async () => {
    const before = await snapshotOfB();
    const err = await expectApiError(mine.admin.http.call(name, args()), 404, "not_found");
    expect(err.message).toContain("in this org");
    expect(await snapshotOfB()).toEqual(before);
  });
});

describe("POST /api/v1/orgs/:org/global-api-keys with another org's deployment", () => {
  it("returns 422 naming the deployment", async () => {
    const name = uniqueName("g");
    const err = await expectApiError(mine.admin.globalApiKeys.create({ name, deploymentIds: [b.deploymentId] }), 422, "validation_failed");
    expect(err.details).toEqual([{ path: "deploymentIds.0", message: expect.stringContaining(b.deploymentId) }]);
    expect(await suite.svc.db.count("SELECT count(*) FROM api_keys WHERE name = ?", name)).toBe(0);
  });
});

describe("POST /api/v1/orgs/:org/deployments/:name/execute across orgs", () => {
  const execute = (client: KeyserviceClient, key: string) => client.deployments.execute(b.deploymentName, key);

  it("returns 401 to this org's allowAllDeployments key on the other org's deployment", async () => {
    const key = await mine.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(execute(theirs.client(), key.key), 401, "unauthorized");
  });

  it("returns 401 when the other org's deployment is asked for under this org", async () => {
    await expectApiError(execute(mine.client(), b.deploymentKey), 401, "unauthorized");
  });

  it("still opens the other org's deployment with its own keys", async () => {
    await expect(execute(theirs.client(), b.deploymentKey)).resolves.toMatchObject({ keyKind: "deployment" });
    await expect(execute(theirs.client(), b.globalKey)).resolves.toMatchObject({ keyKind: "global" });
  });
});

describe("POST /api/v1/orgs/:org/keys/verify across orgs", () => {
  it("answers NOT_FOUND for every kind of the other org's keys", async () => {
    for (const key of [b.globalKey, b.platformKey, b.deploymentKey, theirs.adminToken]) {
      await expect(mine.admin.keys.verify(key)).resolves.toEqual({ valid: false, code: "NOT_FOUND" });
    }
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
