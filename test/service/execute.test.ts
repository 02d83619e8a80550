import { ExecuteResult } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const UNAUTHORIZED = "A valid credential is required: send Authorization: Bearer <token>.";

const suite = serviceSuite();

const execute = (name: string, key: string, slug = suite.org.slug) => suite.svc.client(undefined, slug).deployments.execute(name, key);

describe("POST /api/v1/orgs/:org/deployments/:name/execute", () => {
  it("returns 200 naming the deployment, the key kind and id, to a deployment key", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.name}/execute`, { headers: { authorization: `Bearer ${key.key}` } });
    expect(res.status).toBe(200);
    expect(ExecuteResult.strict().parse(res.json)).toEqual({ deployment: dep.name, keyKind: "deployment", keyId: key.id });
  });

  it("returns 200 to a global key that lists the deployment", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    await expect(execute(dep.name, key.key)).resolves.toEqual({ deployment: dep.name, keyKind: "global", keyId: key.id });
  });

  it("opens each deployment a global key lists and no other, for short and long lists alike (kept as a list up to 16, a set beyond)", async () => {
    for (const size of [16, 17, 40]) {
      const listed = await Promise.all(Array.from({ length: size }, () => suite.org.deployment()));
      const unlisted = await suite.org.deployment();
      const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: listed.map((d) => d.id) });
      for (const dep of [listed[0], listed[size - 1]]) await expect(execute(dep.name, key.key)).resolves.toMatchObject({ deployment: dep.name });
      await expectApiError(execute(unlisted.name, key.key), 401, "unauthorized");
    }
  });

  it("returns 200 to a global key with allowAllDeployments, for deployments made after it too", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const dep = await suite.org.deployment();
    await expect(execute(dep.name, key.key)).resolves.toEqual({ deployment: dep.name, keyKind: "global", keyId: key.id });
  });

  it("returns 401 to a global key that does not list the deployment", async () => {
    const listed = await suite.org.deployment();
    const unlisted = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [listed.id] });
    const err = await expectApiError(execute(unlisted.name, key.key), 401, "unauthorized");
    expect(err.message).toContain(UNAUTHORIZED);
  });

  it("returns 401 to a deployment key of another deployment", async () => {
    const a = await suite.org.deployment();
    const b = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(a.id);
    await expectApiError(execute(b.name, key.key), 401, "unauthorized");
  });

  it("returns 401 to a deactivated global key, and 200 again once reactivated", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    await suite.org.admin.globalApiKeys.update(key.id, { isActive: false });
    await expectApiError(execute(dep.name, key.key), 401, "unauthorized");
    await suite.org.admin.globalApiKeys.update(key.id, { isActive: true });
    await expect(execute(dep.name, key.key)).resolves.toMatchObject({ keyId: key.id });
  });

  it("returns 401 to an expired global key", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await suite.org.admin.globalApiKeys.update(key.id, { expiresAt: "2001-01-01T00:00:00Z" });
    await expectApiError(execute(dep.name, key.key), 401, "unauthorized");
  });

  it("returns 401 to a deleted global key", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await suite.org.admin.globalApiKeys.delete(key.id);
    await expectApiError(execute(dep.name, key.key), 401, "unauthorized");
  });

  it("returns 401 to a global key of another org, even one with allowAllDeployments", async () => {
    const dep = await suite.org.deployment();
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(execute(dep.name, theirs.key), 401, "unauthorized");
  });

  it("returns 401 to a deployment key of a same-named deployment in another org", async () => {
    const dep = await suite.org.deployment();
    const other = await newOrg(suite.svc, suite.ledger);
    const twin = await other.deployment(dep.name);
    const theirKey = await other.admin.deployments.keys.create(twin.id);
    await expectApiError(execute(dep.name, theirKey.key), 401, "unauthorized");
    await expect(execute(dep.name, theirKey.key, other.slug)).resolves.toMatchObject({ keyId: theirKey.id });
  });

  it("returns 401 to a platform key, a member token, a malformed token and no token", async () => {
    const dep = await suite.org.deployment();
    const full = await suite.org.platformKey("full_access");
    await expectApiError(execute(dep.name, full.key), 401, "unauthorized");
    await expectApiError(execute(dep.name, suite.org.adminToken), 401, "unauthorized");
    await expectApiError(execute(dep.name, "ks_dk_short"), 401, "unauthorized");
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.name}/execute`);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: "unauthorized", message: UNAUTHORIZED } });
  });

  it("returns the same 401 for an unknown deployment as for a bad key, so names cannot be probed", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments/no-such-deployment/execute`, { headers: { authorization: `Bearer ${key.key}` } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: "unauthorized", message: UNAUTHORIZED } });
  });

  it("returns the same 401 for an unknown org, without a credential", async () => {
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/no-such-org/deployments/anything/execute`);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: "unauthorized", message: UNAUTHORIZED } });
  });

  it("returns 401 for an inactive deployment, even to its own key, and 200 once reactivated", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    await suite.org.admin.deployments.update(dep.id, { isActive: false });
    await expectApiError(execute(dep.name, key.key), 401, "unauthorized");
    await suite.org.admin.deployments.update(dep.id, { isActive: true });
    await expect(execute(dep.name, key.key)).resolves.toMatchObject({ keyId: key.id });
  });

  it("follows a renamed deployment: its keys open the new name, and the old name is refused with 401", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    const global = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const renamed = await suite.org.admin.deployments.update(dep.id, { name: `${dep.name}-v2` });
    await expect(execute(renamed.name, key.key)).resolves.toEqual({ deployment: renamed.name, keyKind: "deployment", keyId: key.id });
    await expect(execute(renamed.name, global.key)).resolves.toEqual({ deployment: renamed.name, keyKind: "global", keyId: global.id });
    await expectApiError(execute(dep.name, key.key), 401, "unauthorized");
  });

  it("returns 401 to the keys of a deleted deployment after a new one takes its name", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    const global = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    await suite.org.admin.deployments.delete(dep.id);
    await suite.org.deployment(dep.name);
    await expectApiError(execute(dep.name, key.key), 401, "unauthorized");
    await expectApiError(execute(dep.name, global.key), 401, "unauthorized");
  });

  it("records a refused key as a failed authentication in the audit trail", async () => {
    const dep = await suite.org.deployment();
    await expectApiError(execute(dep.name, `ks_gak_${"0".repeat(43)}`), 401, "unauthorized");
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100 });
    expect(items.filter((e) => e.action === "auth.failed").pop()).toMatchObject({ outcome: "failure", target: "POST /api/v1/orgs/:org/deployments/:name/execute" });
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
