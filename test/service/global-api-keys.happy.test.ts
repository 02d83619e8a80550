import { GlobalApiKey, GlobalApiKeyWithSecret } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

const auth = () => ({ authorization: `Bearer ${suite.org.adminToken}` });

describe("POST /api/v1/orgs/:org/global-api-keys", () => {
  it("returns 201 with a ks_gak_ key shown once, version 1, and stores the key", async () => {
    const dep = await suite.org.deployment();
    const name = uniqueName("g");
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/global-api-keys`, { headers: auth(), body: { name, description: "CI", deploymentIds: [dep.id] } });
    expect(res.status).toBe(201);
    const key = GlobalApiKeyWithSecret.strict().parse(res.json);
    suite.ledger.add(key.key);
    expect(key).toMatchObject({
      name,
      description: "CI",
      isActive: true,
      allowAllDeployments: false,
      deploymentIds: [dep.id],
      version: 1,
      rotatedAt: null,
      expiresAt: null,
      previousKeyExpiresAt: null,
      key: expect.stringMatching(/^ks_gak_/),
    });
    expect(key.keyHint).toBe(`ks_gak_...${key.key.slice(-4)}`);
    expect(await suite.svc.db.query("SELECT kind, name, allow_all_deployments FROM api_keys WHERE id = ?", key.id)).toEqual([{ kind: "global", name, allow_all_deployments: 0 }]);
    expect(await suite.svc.db.query("SELECT deployment_id FROM api_key_deployments WHERE api_key_id = ?", key.id)).toEqual([{ deployment_id: dep.id }]);
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ? AND kind = 'global'", key.id)).toBe(1);
  });

  it("creates a key that opens all deployments", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    expect(key).toMatchObject({ allowAllDeployments: true, deploymentIds: [] });
  });

  it("lets a full_access platform key create one", async () => {
    const full = await suite.org.platformKey("full_access");
    await expect(suite.org.client(full.key).globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true })).resolves.toMatchObject({ version: 1 });
  });

  it("stores expiresAt given with an offset as the same instant", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true, expiresAt: "2030-01-01T02:00:00+02:00" });
    expect(key.expiresAt).toBe("2030-01-01T00:00:00.000Z");
    expect(await suite.svc.db.query("SELECT expires_at FROM api_keys WHERE id = ?", key.id)).toEqual([{ expires_at: Date.parse("2030-01-01T00:00:00Z") }]);
  });
});

describe("GET /api/v1/orgs/:org/global-api-keys", () => {
  it("pages through every key with ?limit= and ?cursor=, without secrets", async () => {
    const paged = await newOrg(suite.svc, suite.ledger);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await paged.admin.globalApiKeys.create({ name: `k${i}`, allowAllDeployments: true }));
    const res = await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${paged.slug}/global-api-keys?limit=2`, { headers: { authorization: `Bearer ${paged.adminToken}` } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json as object).sort()).toEqual(["items", "nextCursor"]);
    expect(suite.ledger.foundIn(res.text)).toEqual([]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await paged.admin.globalApiKeys.list({ limit: 2, cursor });
      for (const item of page.items) expect(GlobalApiKey.strict().safeParse(item).success).toBe(true);
      seen.push(...page.items.map((k) => k.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.map((k) => k.id).sort());
  });
});

describe("GET /api/v1/orgs/:org/global-api-keys/:id", () => {
  it("returns the key without its secret", async () => {
    const { key: _secret, ...created } = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const got = await suite.org.admin.globalApiKeys.get(created.id);
    expect(got).toEqual(created);
    expect(got).not.toHaveProperty("key");
  });
});

describe("PATCH /api/v1/orgs/:org/global-api-keys/:id", () => {
  it("changes only the fields sent", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), description: "before", deploymentIds: [dep.id], expiresAt: "2031-01-01T00:00:00Z" });
    const updated = await suite.org.admin.globalApiKeys.update(key.id, { description: "after" });
    expect(updated).toMatchObject({ name: key.name, description: "after", deploymentIds: [dep.id], expiresAt: "2031-01-01T00:00:00.000Z", isActive: true, version: 1 });
    const cleared = await suite.org.admin.globalApiKeys.update(key.id, { description: null, expiresAt: null });
    expect(cleared).toMatchObject({ description: null, expiresAt: null, deploymentIds: [dep.id] });
  });

  it("GET shows every deployment of the scope, in the order create and list show them", async () => {
    const deployments = [await suite.org.deployment(), await suite.org.deployment(), await suite.org.deployment()];
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: deployments.map((d) => d.id).reverse() });
    expect([...key.deploymentIds].sort()).toEqual(deployments.map((d) => d.id).sort());
    const read = await suite.org.admin.globalApiKeys.get(key.id);
    expect(read.deploymentIds).toEqual(key.deploymentIds);
    let listed: { deploymentIds: string[] } | undefined;
    for (let cursor: string | undefined, page = 0; !listed && page < 100; page++) {
      const { items, nextCursor } = await suite.org.admin.globalApiKeys.list({ limit: 100, cursor });
      listed = items.find((k) => k.id === key.id);
      if (!nextCursor) break;
      cursor = nextCursor;
    }
    expect(listed?.deploymentIds).toEqual(key.deploymentIds);
    const unscoped = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    expect((await suite.org.admin.globalApiKeys.get(unscoped.id)).deploymentIds).toEqual([]);
  });

  it("replaces the deployment list whole", async () => {
    const [a, b, c] = [await suite.org.deployment(), await suite.org.deployment(), await suite.org.deployment()];
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [a.id, b.id] });
    const updated = await suite.org.admin.globalApiKeys.update(key.id, { deploymentIds: [c.id] });
    expect(updated.deploymentIds).toEqual([c.id]);
    expect(await suite.svc.db.query("SELECT deployment_id FROM api_key_deployments WHERE api_key_id = ?", key.id)).toEqual([{ deployment_id: c.id }]);
    await expectApiError(suite.org.client().deployments.execute(a.name, key.key), 401, "unauthorized");
    await expect(suite.org.client().deployments.execute(c.name, key.key)).resolves.toMatchObject({ keyId: key.id });
  });

  it("switches between a list and allowAllDeployments", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    await expect(suite.org.admin.globalApiKeys.update(key.id, { allowAllDeployments: true })).resolves.toMatchObject({ allowAllDeployments: true, deploymentIds: [] });
    await expect(suite.org.admin.globalApiKeys.update(key.id, { allowAllDeployments: false, deploymentIds: [dep.id] })).resolves.toMatchObject({ allowAllDeployments: false, deploymentIds: [dep.id] });
  });

  it("deactivates a key whose only deployment was deleted: untouched fields are not re-validated", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    await suite.org.admin.deployments.delete(dep.id);
    await expect(suite.org.admin.globalApiKeys.update(key.id, { isActive: false })).resolves.toMatchObject({ isActive: false, deploymentIds: [] });
    await expect(suite.org.admin.globalApiKeys.update(key.id, { name: `${key.name}-renamed` })).resolves.toMatchObject({ name: `${key.name}-renamed` });
  });
});

describe("DELETE /api/v1/orgs/:org/global-api-keys/:id", () => {
  it("returns 204, then 404, and revokes the key", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const res = await rawRequest(suite.svc.url, "DELETE", `/api/v1/orgs/${suite.org.slug}/global-api-keys/${key.id}`, { headers: auth() });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    await expectApiError(suite.org.admin.globalApiKeys.get(key.id), 404, "not_found");
    await expectApiError(suite.org.admin.globalApiKeys.delete(key.id), 404, "not_found");
    await expectApiError(suite.org.client().deployments.execute(dep.name, key.key), 401, "unauthorized");
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ?", key.id)).toBe(0);
    expect(await suite.svc.db.count("SELECT count(*) FROM api_keys WHERE id = ?", key.id)).toBe(0);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
