import { DeploymentKey, DeploymentKeyWithSecret } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { countRows, queryDb } from "../helpers/db";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsIn } from "../helpers/leaks";
import { newOrg, type TestOrg } from "../helpers/org";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";

const ledger = new SecretLedger();
let svc: TestService;
let org: TestOrg;

beforeAll(async () => {
  svc = await startTestService();
  org = await newOrg(svc, ledger);
});
afterAll(() => svc.close());

describe("POST /api/v1/orgs/:org/deployments/:id/keys", () => {
  it("returns 201 with a ks_dk_ key that opens the deployment", async () => {
    const dep = await org.deployment();
    const res = await rawRequest(svc.url, "POST", `/api/v1/orgs/${org.slug}/deployments/${dep.id}/keys`, {
      headers: { authorization: `Bearer ${org.adminToken}` },
      body: { name: "ci" },
    });
    expect(res.status).toBe(201);
    const created = DeploymentKeyWithSecret.strict().parse(res.json);
    ledger.add(created.key);
    expect(created).toMatchObject({ deploymentId: dep.id, name: "ci", key: expect.stringMatching(/^ks_dk_/) });
    expect(created.keyHint.endsWith(created.key.slice(-4))).toBe(true);
    await expect(org.client().deployments.execute(dep.name, created.key)).resolves.toEqual({ deployment: dep.name, keyKind: "deployment", keyId: created.id });
    expect(queryDb(svc.dbPath, "SELECT deployment_id, name FROM deployment_keys WHERE id = ?", created.id)).toEqual([{ deployment_id: dep.id, name: "ci" }]);
  });

  it("creates a key without a name", async () => {
    const dep = await org.deployment();
    await expect(org.admin.deployments.keys.create(dep.id)).resolves.toMatchObject({ name: null });
  });

  it("returns 404 for an unknown deployment and for another org's deployment", async () => {
    await expectApiError(org.admin.deployments.keys.create("01890000-0000-7000-8000-000000000000"), 404, "not_found");
    const other = await newOrg(svc, ledger);
    const theirs = await other.deployment();
    await expectApiError(org.admin.deployments.keys.create(theirs.id), 404, "not_found");
    expect(countRows(svc.dbPath, "SELECT count(*) FROM deployment_keys WHERE deployment_id = ?", theirs.id)).toBe(0);
  });
});

describe("GET /api/v1/orgs/:org/deployments/:id/keys", () => {
  it("lists the deployment's keys masked: a hint, never the key", async () => {
    const dep = await org.deployment();
    const a = await org.admin.deployments.keys.create(dep.id, { name: "a" });
    const b = await org.admin.deployments.keys.create(dep.id, { name: "b" });
    const res = await rawRequest(svc.url, "GET", `/api/v1/orgs/${org.slug}/deployments/${dep.id}/keys`, { headers: { authorization: `Bearer ${org.adminToken}` } });
    expect(res.status).toBe(200);
    const items = (res.json as { items: unknown[] }).items.map((i) => DeploymentKey.strict().parse(i));
    expect(items.map((k) => k.id).sort()).toEqual([a.id, b.id].sort());
    expect(ledger.foundIn(res.text)).toEqual([]);
    for (const k of items) expect(k.keyHint).toMatch(/^ks_dk_\.\.\.[0-9A-Za-z]{4}$/);
  });

  it("pages with limit and cursor", async () => {
    const dep = await org.deployment();
    for (let i = 0; i < 3; i++) await org.admin.deployments.keys.create(dep.id);
    const first = await org.admin.deployments.keys.list(dep.id, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await org.admin.deployments.keys.list(dep.id, { limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [expect.anything()], nextCursor: null });
  });

  it("returns 404 for another org's deployment", async () => {
    const other = await newOrg(svc, ledger);
    const theirs = await other.deployment();
    await other.admin.deployments.keys.create(theirs.id);
    await expectApiError(org.admin.deployments.keys.list(theirs.id), 404, "not_found");
  });
});

describe("DELETE /api/v1/orgs/:org/deployments/:id/keys/:keyId", () => {
  it("returns 204, revokes the key at once, then 404", async () => {
    const dep = await org.deployment();
    const key = await org.admin.deployments.keys.create(dep.id);
    await org.client().deployments.execute(dep.name, key.key);
    const res = await rawRequest(svc.url, "DELETE", `/api/v1/orgs/${org.slug}/deployments/${dep.id}/keys/${key.id}`, { headers: { authorization: `Bearer ${org.adminToken}` } });
    expect(res.status).toBe(204);
    await expectApiError(org.client().deployments.execute(dep.name, key.key), 401, "unauthorized");
    await expectApiError(org.admin.deployments.keys.delete(dep.id, key.id), 404, "not_found");
    expect(countRows(svc.dbPath, "SELECT count(*) FROM credentials WHERE owner_id = ?", key.id)).toBe(0);
    expect(countRows(svc.dbPath, "SELECT count(*) FROM deployment_keys WHERE id = ?", key.id)).toBe(0);
  });

  it("returns 404 for a key of another deployment, and leaves it working", async () => {
    const dep = await org.deployment();
    const otherDep = await org.deployment();
    const key = await org.admin.deployments.keys.create(otherDep.id);
    await expectApiError(org.admin.deployments.keys.delete(dep.id, key.id), 404, "not_found");
    await expect(org.client().deployments.execute(otherDep.name, key.key)).resolves.toMatchObject({ keyId: key.id });
  });

  it("returns 404 for a key of another org", async () => {
    const other = await newOrg(svc, ledger);
    const theirs = await other.deployment();
    const key = await other.admin.deployments.keys.create(theirs.id);
    await expectApiError(org.admin.deployments.keys.delete(theirs.id, key.id), 404, "not_found");
    expect(countRows(svc.dbPath, "SELECT count(*) FROM deployment_keys WHERE id = ?", key.id)).toBe(1);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database files or logs", () => {
    expectNoSecretsIn(ledger, { dirs: [svc.dir], texts: { logs: svc.logs() } });
  });
});
