import { DeploymentKey, DeploymentKeyWithSecret } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

describe("POST /api/v1/orgs/:org/deployments/:id/keys", () => {
  it("returns 201 with a ks_dk_ key that opens the deployment", async () => {
    const dep = await suite.org.deployment();
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.id}/keys`, {
      headers: { authorization: `Bearer ${suite.org.adminToken}` },
      body: { name: "ci" },
    });
    expect(res.status).toBe(201);
    const created = DeploymentKeyWithSecret.strict().parse(res.json);
    suite.ledger.add(created.key);
    expect(created).toMatchObject({ deploymentId: dep.id, name: "ci", key: expect.stringMatching(/^ks_dk_/) });
    expect(created.keyHint.endsWith(created.key.slice(-4))).toBe(true);
    await expect(suite.org.client().deployments.execute(dep.name, created.key)).resolves.toEqual({ deployment: dep.name, keyKind: "deployment", keyId: created.id });
    expect(await suite.svc.db.query("SELECT deployment_id, name FROM deployment_keys WHERE id = ?", created.id)).toEqual([{ deployment_id: dep.id, name: "ci" }]);
  });

  it("creates a key without a name", async () => {
    const dep = await suite.org.deployment();
    await expect(suite.org.admin.deployments.keys.create(dep.id)).resolves.toMatchObject({ name: null });
  });

  it("returns 404 for an unknown deployment and for another org's deployment", async () => {
    await expectApiError(suite.org.admin.deployments.keys.create("01890000-0000-7000-8000-000000000000"), 404, "not_found");
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.deployment();
    await expectApiError(suite.org.admin.deployments.keys.create(theirs.id), 404, "not_found");
    expect(await suite.svc.db.count("SELECT count(*) FROM deployment_keys WHERE deployment_id = ?", theirs.id)).toBe(0);
  });
});

describe("GET /api/v1/orgs/:org/deployments/:id/keys", () => {
  it("lists the deployment's keys masked: a hint, never the key", async () => {
    const dep = await suite.org.deployment();
    const a = await suite.org.admin.deployments.keys.create(dep.id, { name: "a" });
    const b = await suite.org.admin.deployments.keys.create(dep.id, { name: "b" });
    const res = await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.id}/keys`, { headers: { authorization: `Bearer ${suite.org.adminToken}` } });
    expect(res.status).toBe(200);
    const items = (res.json as { items: unknown[] }).items.map((i) => DeploymentKey.strict().parse(i));
    expect(items.map((k) => k.id).sort()).toEqual([a.id, b.id].sort());
    expect(suite.ledger.foundIn(res.text)).toEqual([]);
    for (const k of items) expect(k.keyHint).toMatch(/^ks_dk_\.\.\.[0-9A-Za-z]{4}$/);
  });

  it("pages with limit and cursor", async () => {
    const dep = await suite.org.deployment();
    for (let i = 0; i < 3; i++) await suite.org.admin.deployments.keys.create(dep.id);
    const first = await suite.org.admin.deployments.keys.list(dep.id, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await suite.org.admin.deployments.keys.list(dep.id, { limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [expect.anything()], nextCursor: null });
  });

  it("returns 404 for another org's deployment", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.deployment();
    await other.admin.deployments.keys.create(theirs.id);
    await expectApiError(suite.org.admin.deployments.keys.list(theirs.id), 404, "not_found");
  });
});

describe("DELETE /api/v1/orgs/:org/deployments/:id/keys/:keyId", () => {
  it("returns 204, revokes the key at once, then 404", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    await suite.org.client().deployments.execute(dep.name, key.key);
    const res = await rawRequest(suite.svc.url, "DELETE", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.id}/keys/${key.id}`, { headers: { authorization: `Bearer ${suite.org.adminToken}` } });
    expect(res.status).toBe(204);
    await expectApiError(suite.org.client().deployments.execute(dep.name, key.key), 401, "unauthorized");
    await expectApiError(suite.org.admin.deployments.keys.delete(dep.id, key.id), 404, "not_found");
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ?", key.id)).toBe(0);
    expect(await suite.svc.db.count("SELECT count(*) FROM deployment_keys WHERE id = ?", key.id)).toBe(0);
  });

  it("returns 404 for a key of another deployment, and leaves it working", async () => {
    const dep = await suite.org.deployment();
    const otherDep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(otherDep.id);
    await expectApiError(suite.org.admin.deployments.keys.delete(dep.id, key.id), 404, "not_found");
    await expect(suite.org.client().deployments.execute(otherDep.name, key.key)).resolves.toMatchObject({ keyId: key.id });
  });

  it("returns 404 for a key of another org", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.deployment();
    const key = await other.admin.deployments.keys.create(theirs.id);
    await expectApiError(suite.org.admin.deployments.keys.delete(theirs.id, key.id), 404, "not_found");
    expect(await suite.svc.db.count("SELECT count(*) FROM deployment_keys WHERE id = ?", key.id)).toBe(1);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
