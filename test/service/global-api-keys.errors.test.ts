import { detailPaths, expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, type TestOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();
let other: TestOrg;

beforeAll(async () => {
  other = await newOrg(suite.svc, suite.ledger);
});

const keysNamed = (name: string) => suite.svc.db.count("SELECT count(*) FROM api_keys WHERE name = ?", name);

describe("POST /api/v1/orgs/:org/global-api-keys", () => {
  it("returns 422 for allowAllDeployments with a non-empty list", async () => {
    const dep = await suite.org.deployment();
    const name = uniqueName("g");
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name, allowAllDeployments: true, deploymentIds: [dep.id] }), 422, "validation_failed");
    expect(err.details).toEqual([{ path: "deploymentIds", message: "must be empty when allowAllDeployments is true" }]);
    expect(await keysNamed(name)).toBe(0);
  });

  it("returns 422 for neither allowAllDeployments nor a list", async () => {
    const name = uniqueName("g");
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["deploymentIds"]);
    await expectApiError(suite.org.admin.globalApiKeys.create({ name, deploymentIds: [] }), 422, "validation_failed");
    expect(await keysNamed(name)).toBe(0);
  });

  it("returns 422 naming a deployment of another org, and creates nothing", async () => {
    const mine = await suite.org.deployment();
    const theirs = await other.deployment();
    const name = uniqueName("g");
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name, deploymentIds: [mine.id, theirs.id] }), 422, "validation_failed");
    expect(err.details).toEqual([{ path: "deploymentIds.1", message: expect.stringContaining(theirs.id) }]);
    expect(await keysNamed(name)).toBe(0);
  });

  it("returns 422 for a deployment id that is not a UUID", async () => {
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: ["web"] }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["deploymentIds.0"]);
  });

  it("returns 422 for an expiresAt without an offset, and for unknown fields", async () => {
    const err = await expectApiError(
      suite.org.admin.http.call("createGlobalApiKey", { body: { name: uniqueName("g"), allowAllDeployments: true, expiresAt: "2030-01-01T00:00:00", scope: "all" } }),
      422,
      "validation_failed",
    );
    expect(detailPaths(err)).toEqual(["expiresAt", "scope"]);
    expect(err.details!.find((d) => d.path === "expiresAt")!.message).toContain("offset");
  });

  it.each([
    ["after year 9999 in UTC", "9999-12-31T23:59:59-14:00"],
    ["before year 0000 in UTC", "0000-01-01T00:00:00+01:00"],
  ])("returns 422 for an expiresAt %s, which no ISO-8601 instant could show", async (_, expiresAt) => {
    const name = uniqueName("g");
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name, allowAllDeployments: true, expiresAt }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["expiresAt"]);
    expect(await keysNamed(name)).toBe(0);
    const key = await suite.org.admin.globalApiKeys.create({ name, allowAllDeployments: true });
    await expectApiError(suite.org.admin.globalApiKeys.update(key.id, { expiresAt }), 422, "validation_failed");
    await expect(suite.org.admin.globalApiKeys.list({ limit: 100 })).resolves.toBeDefined();
  });

  it("returns 409 for a name taken in the org, and allows it in another org", async () => {
    const name = uniqueName("g");
    await suite.org.admin.globalApiKeys.create({ name, allowAllDeployments: true });
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name, allowAllDeployments: true }), 409, "conflict");
    expect(err.message).toContain(name);
    expect(await keysNamed(name)).toBe(1);
    await expect(other.admin.globalApiKeys.create({ name, allowAllDeployments: true })).resolves.toMatchObject({ name });
  });
});

describe("POST /api/v1/orgs/:org/global-api-keys (concurrent)", () => {
  it("lets exactly one of several concurrent creates with one name succeed; the rest get 409", async () => {
    const name = uniqueName("race");
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => suite.org.admin.globalApiKeys.create({ name, allowAllDeployments: true })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) expect(r.reason).toMatchObject({ httpStatus: 409, code: "conflict" });
    expect(await keysNamed(name)).toBe(1);
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials c JOIN api_keys k ON k.id = c.owner_id WHERE k.name = ?", name)).toBe(1);
  });
});

describe("GET /api/v1/orgs/:org/global-api-keys/:id", () => {
  it("returns 404 for an unknown id, another org's key, and a platform key's id", async () => {
    await expectApiError(suite.org.admin.globalApiKeys.get("01890000-0000-7000-8000-000000000000"), 404, "not_found");
    const theirs = await other.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(suite.org.admin.globalApiKeys.get(theirs.id), 404, "not_found");
    const platform = await suite.org.platformKey("read");
    await expectApiError(suite.org.admin.globalApiKeys.get(platform.id), 404, "not_found");
  });
});

describe("GET /api/v1/orgs/:org/global-api-keys", () => {
  it("returns 422 for a limit above 100 or an unknown query parameter", async () => {
    const err = await expectApiError(suite.org.admin.globalApiKeys.list({ limit: 101 }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["query.limit"]);
    const unknown = await expectApiError(suite.org.admin.http.call("listGlobalApiKeys", { query: { page: 2 } }), 422, "validation_failed");
    expect(detailPaths(unknown)).toEqual(["query.page"]);
  });
});

describe("PATCH /api/v1/orgs/:org/global-api-keys/:id", () => {
  it("returns 422 when the patch makes the scope empty or contradictory, and changes nothing", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    await expectApiError(suite.org.admin.globalApiKeys.update(key.id, { deploymentIds: [] }), 422, "validation_failed");
    const both = await expectApiError(suite.org.admin.globalApiKeys.update(key.id, { allowAllDeployments: true, deploymentIds: [dep.id] }), 422, "validation_failed");
    expect(detailPaths(both)).toEqual(["deploymentIds"]);
    expect(await suite.svc.db.query("SELECT deployment_id FROM api_key_deployments WHERE api_key_id = ?", key.id)).toEqual([{ deployment_id: dep.id }]);
  });

  it("returns 422 when turning allowAllDeployments off without a list", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const err = await expectApiError(suite.org.admin.globalApiKeys.update(key.id, { allowAllDeployments: false }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["deploymentIds"]);
    expect(await suite.svc.db.query("SELECT allow_all_deployments FROM api_keys WHERE id = ?", key.id)).toEqual([{ allow_all_deployments: 1 }]);
  });

  it("returns 422 naming another org's deployment, and keeps the old list", async () => {
    const dep = await suite.org.deployment();
    const theirs = await other.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const err = await expectApiError(suite.org.admin.globalApiKeys.update(key.id, { deploymentIds: [theirs.id] }), 422, "validation_failed");
    expect(err.details).toEqual([{ path: "deploymentIds.0", message: expect.stringContaining(theirs.id) }]);
    expect(await suite.svc.db.query("SELECT deployment_id FROM api_key_deployments WHERE api_key_id = ?", key.id)).toEqual([{ deployment_id: dep.id }]);
  });

  it("returns 422 naming each bad field", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const err = await expectApiError(suite.org.admin.globalApiKeys.update(key.id, { name: "", isActive: 1 as unknown as boolean, expiresAt: "tomorrow" }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["expiresAt", "isActive", "name"]);
  });

  it("returns 409 when renaming onto a taken name", async () => {
    const a = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const b = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(suite.org.admin.globalApiKeys.update(b.id, { name: a.name }), 409, "conflict");
    expect(await suite.svc.db.query("SELECT name FROM api_keys WHERE id = ?", b.id)).toEqual([{ name: b.name }]);
  });

  it("returns 404 for another org's key, and leaves it alone", async () => {
    const theirs = await other.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(suite.org.admin.globalApiKeys.update(theirs.id, { isActive: false }), 404, "not_found");
    expect(await suite.svc.db.query("SELECT is_active FROM api_keys WHERE id = ?", theirs.id)).toEqual([{ is_active: 1 }]);
  });
});

describe("DELETE /api/v1/orgs/:org/global-api-keys/:id", () => {
  it("returns 404 for another org's key, and leaves it working", async () => {
    const dep = await other.deployment();
    const theirs = await other.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(suite.org.admin.globalApiKeys.delete(theirs.id), 404, "not_found");
    await expect(other.client().deployments.execute(dep.name, theirs.key)).resolves.toMatchObject({ keyId: theirs.id });
  });
});

describe("POST /api/v1/orgs/:org/global-api-keys/:id/rotate", () => {
  it("returns 404 for another org's key, and leaves its secret working", async () => {
    const dep = await other.deployment();
    const theirs = await other.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(suite.org.admin.globalApiKeys.rotate(theirs.id), 404, "not_found");
    await expect(other.client().deployments.execute(dep.name, theirs.key)).resolves.toMatchObject({ keyId: theirs.id });
    expect(await suite.svc.db.query("SELECT version FROM api_keys WHERE id = ?", theirs.id)).toEqual([{ version: 1 }]);
  });

  it.each([
    ["above 7 days", 604801],
    ["negative", -1],
    ["not whole", 1.5],
  ])("returns 422 for a gracePeriodSeconds %s", async (_, gracePeriodSeconds) => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const err = await expectApiError(suite.org.admin.globalApiKeys.rotate(key.id, { gracePeriodSeconds }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["gracePeriodSeconds"]);
    expect(await suite.svc.db.query("SELECT version FROM api_keys WHERE id = ?", key.id)).toEqual([{ version: 1 }]);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
