import { Deployment } from "@keyservice/sdk";
import { detailPaths, expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

const auth = () => ({ authorization: `Bearer ${suite.org.adminToken}` });

describe("POST /api/v1/orgs/:org/deployments", () => {
  it("returns 201 with the deployment, active by default, and stores it", async () => {
    const name = uniqueName("dep");
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments`, { headers: auth(), body: { name } });
    expect(res.status).toBe(201);
    const dep = Deployment.strict().parse(res.json);
    expect(dep).toMatchObject({ name, isActive: true });
    expect(await suite.svc.db.query("SELECT name, is_active FROM deployments WHERE id = ?", dep.id)).toEqual([{ name, is_active: 1 }]);
  });

  it("creates an inactive deployment when asked", async () => {
    await expect(suite.org.admin.deployments.create({ name: uniqueName("dep"), isActive: false })).resolves.toMatchObject({ isActive: false });
  });

  it("returns 409 for a name taken in the org (a database constraint), and allows it in another org", async () => {
    const dep = await suite.org.deployment();
    const err = await expectApiError(suite.org.admin.deployments.create({ name: dep.name }), 409, "conflict");
    expect(err.message).toContain(dep.name);
    expect(await suite.svc.db.count("SELECT count(*) FROM deployments WHERE name = ?", dep.name)).toBe(1);
    const other = await newOrg(suite.svc, suite.ledger);
    await expect(other.admin.deployments.create({ name: dep.name })).resolves.toMatchObject({ name: dep.name });
  });

  it("lets exactly one of several concurrent creates with one name succeed; the rest get 409", async () => {
    const name = uniqueName("race");
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => suite.org.admin.deployments.create({ name })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) expect(r.reason).toMatchObject({ httpStatus: 409, code: "conflict" });
    expect(await suite.svc.db.count("SELECT count(*) FROM deployments WHERE name = ?", name)).toBe(1);
  });

  it("returns 422 naming each bad field", async () => {
    const err = await expectApiError(suite.org.admin.deployments.create({ name: " padded ", isActive: "yes" as unknown as boolean }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["isActive", "name"]);
    const unknown = await expectApiError(suite.org.admin.http.call("createDeployment", { body: { name: uniqueName("d"), region: "eu" } }), 422, "validation_failed");
    expect(unknown.details).toEqual([{ path: "region", message: expect.stringContaining("region") }]);
  });
});

describe("GET /api/v1/orgs/:org/deployments", () => {
  it("pages through every deployment with limit and cursor", async () => {
    const paged = await newOrg(suite.svc, suite.ledger);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await paged.deployment(`d${i}`));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await paged.admin.deployments.list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(made.map((d) => d.id).sort());
  });

  it("returns 422 for a limit out of range", async () => {
    const err = await expectApiError(suite.org.admin.deployments.list({ limit: 0 }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["query.limit"]);
  });
});

describe("GET /api/v1/orgs/:org/deployments/:id", () => {
  it("returns the deployment", async () => {
    const dep = await suite.org.deployment();
    await expect(suite.org.admin.deployments.get(dep.id)).resolves.toEqual(dep);
  });

  it("returns 404 for an unknown id and for another org's deployment", async () => {
    await expectApiError(suite.org.admin.deployments.get("01890000-0000-7000-8000-000000000000"), 404, "not_found");
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.deployment();
    await expectApiError(suite.org.admin.deployments.get(theirs.id), 404, "not_found");
  });
});

describe("PATCH /api/v1/orgs/:org/deployments/:id", () => {
  it("renames and deactivates, changing only the fields sent", async () => {
    const dep = await suite.org.deployment();
    const renamed = await suite.org.admin.deployments.update(dep.id, { name: `${dep.name}-renamed` });
    expect(renamed).toMatchObject({ id: dep.id, name: `${dep.name}-renamed`, isActive: true });
    const off = await suite.org.admin.deployments.update(dep.id, { isActive: false });
    expect(off).toMatchObject({ name: `${dep.name}-renamed`, isActive: false });
    expect(await suite.svc.db.query("SELECT name, is_active FROM deployments WHERE id = ?", dep.id)).toEqual([{ name: `${dep.name}-renamed`, is_active: 0 }]);
  });

  it("returns 409 when renaming onto a taken name", async () => {
    const a = await suite.org.deployment();
    const b = await suite.org.deployment();
    await expectApiError(suite.org.admin.deployments.update(b.id, { name: a.name }), 409, "conflict");
    expect(await suite.svc.db.query("SELECT name FROM deployments WHERE id = ?", b.id)).toEqual([{ name: b.name }]);
  });

  it("returns 404 for another org's deployment and leaves it alone", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.deployment();
    await expectApiError(suite.org.admin.deployments.update(theirs.id, { isActive: false }), 404, "not_found");
    expect(await suite.svc.db.query("SELECT is_active FROM deployments WHERE id = ?", theirs.id)).toEqual([{ is_active: 1 }]);
  });

  it("returns 422 for an empty name", async () => {
    const dep = await suite.org.deployment();
    const err = await expectApiError(suite.org.admin.deployments.update(dep.id, { name: "" }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["name"]);
  });
});

describe("DELETE /api/v1/orgs/:org/deployments/:id", () => {
  it("returns 204, then 404, and removes its keys and its place in global keys' lists", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    const global = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const res = await rawRequest(suite.svc.url, "DELETE", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.id}`, { headers: auth() });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    await expectApiError(suite.org.admin.deployments.get(dep.id), 404, "not_found");
    await expectApiError(suite.org.admin.deployments.delete(dep.id), 404, "not_found");
    expect(await suite.svc.db.count("SELECT count(*) FROM deployment_keys WHERE deployment_id = ?", dep.id)).toBe(0);
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ?", key.id)).toBe(0);
    expect(await suite.svc.db.count("SELECT count(*) FROM api_key_deployments WHERE deployment_id = ?", dep.id)).toBe(0);
    await expect(suite.org.admin.globalApiKeys.get(global.id)).resolves.toMatchObject({ deploymentIds: [] });
  });

  it("returns 404 for another org's deployment and leaves it alone", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.deployment();
    await expectApiError(suite.org.admin.deployments.delete(theirs.id), 404, "not_found");
    expect(await suite.svc.db.count("SELECT count(*) FROM deployments WHERE id = ?", theirs.id)).toBe(1);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
