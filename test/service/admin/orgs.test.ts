import { CreatedOrg, type KeyserviceClient, Org } from "@keyservice/sdk";
import { detailPaths, expectApiError } from "../../helpers/api";
import { rawRequest } from "../../helpers/http";
import { expectNoSecretsInService } from "../../helpers/leaks";
import { uniqueName } from "../../helpers/org";
import { serviceSuite } from "../../helpers/suite";
import { statusOf } from "../../helpers/wait";

const suite = serviceSuite();
let platform: KeyserviceClient;

beforeAll(async () => {
  platform = suite.svc.client(suite.ledger.add(await suite.svc.platformAdmin()));
});

/** A new org made through the API, its admin token recorded. */
async function createOrg(name?: string) {
  const created = await platform.admin.orgs.create({ slug: uniqueName("org"), name });
  suite.ledger.add(created.adminToken);
  return created;
}

describe("POST /api/v1/admin/orgs", () => {
  it("returns 201 with the org and its first admin's token, which works at once in that org", async () => {
    const slug = uniqueName("org");
    const res = await rawRequest(suite.svc.url, "POST", "/api/v1/admin/orgs", { headers: { authorization: `Bearer ${await suite.svc.platformAdmin()}` }, body: { slug, name: "Acme Corp" } });
    expect(res.status).toBe(201);
    const created = CreatedOrg.strict().parse(res.json);
    suite.ledger.add(created.adminToken);
    expect(created.org).toEqual({ id: expect.any(String), slug, name: "Acme Corp", isActive: true, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(created.adminToken).toMatch(/^ks_usr_/);
    const admin = suite.svc.client(created.adminToken, slug);
    await expect(admin.deployments.create({ name: "first" })).resolves.toMatchObject({ name: "first" });
    await expect(admin.members.list()).resolves.toMatchObject({ items: [{ id: created.adminId, role: "admin" }] });
    const { items } = await admin.auditEvents.list({ limit: 10 });
    expect(items.slice(0, 2).map((e) => e.action)).toEqual(["org.create", "member.create"]);
    expect(items[0].actor).toMatch(/^platform_admin:/);
  });

  it("returns 409 for a slug in use, and 422 naming a bad slug", async () => {
    const { org } = await createOrg();
    await expectApiError(platform.admin.orgs.create({ slug: org.slug }), 409, "conflict");
    const err = await expectApiError(platform.admin.orgs.create({ slug: "Not A Slug" }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["slug"]);
  });
});

describe("GET /api/v1/admin/orgs and /orgs/:slug", () => {
  it("lists every org in pages and gets one by slug", async () => {
    const made = [await createOrg(), await createOrg()];
    const slugs: string[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await platform.admin.orgs.list({ limit: 2, cursor });
      page.items.forEach((o) => Org.strict().parse(o));
      slugs.push(...page.items.map((o) => o.slug));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(slugs).toEqual(expect.arrayContaining([...made.map((m) => m.org.slug), suite.org.slug]));
    await expect(platform.admin.orgs.get(made[0].org.slug)).resolves.toEqual(made[0].org);
    await expectApiError(platform.admin.orgs.get("no-such-org"), 404, "not_found");
  });
});

describe("PATCH /api/v1/admin/orgs/:slug", () => {
  it("deactivates an org: every credential of it gets 401 at once; reactivation restores them", async () => {
    const { org, adminToken } = await createOrg();
    const admin = suite.svc.client(adminToken, org.slug);
    const dep = await admin.deployments.create({ name: "d" });
    const global = suite.ledger.add((await admin.globalApiKeys.create({ name: "g", allowAllDeployments: true })).key);
    const platformKey = suite.ledger.add((await admin.platformApiKeys.create({ name: "p", permission: "read" })).key);
    const deploymentKey = suite.ledger.add((await admin.deployments.keys.create(dep.id)).key);
    const uses = () =>
      Promise.all([
        statusOf(admin.deployments.list()),
        statusOf(suite.svc.client(platformKey, org.slug).deployments.list()),
        statusOf(admin.deployments.execute("d", global)),
        statusOf(admin.deployments.execute("d", deploymentKey)),
      ]);
    expect(await uses()).toEqual([200, 200, 200, 200]);
    await expect(platform.admin.orgs.update(org.slug, { isActive: false })).resolves.toMatchObject({ isActive: false });
    expect(await uses()).toEqual([401, 401, 401, 401]);
    await expect(platform.admin.orgs.update(org.slug, { isActive: true, name: "Back" })).resolves.toMatchObject({ isActive: true, name: "Back" });
    expect(await uses()).toEqual([200, 200, 200, 200]);
    const { items } = await admin.auditEvents.list({ limit: 100 });
    expect(items.map((e) => e.action)).toEqual(expect.arrayContaining(["org.deactivate", "org.activate"]));
  });
});

describe("DELETE /api/v1/admin/orgs/:slug", () => {
  it("returns 409 while the org has keys, naming how many, and deletes it with force=true, revoking everything", async () => {
    const { org, adminToken } = await createOrg();
    const admin = suite.svc.client(adminToken, org.slug);
    const key = suite.ledger.add((await admin.globalApiKeys.create({ name: "g", allowAllDeployments: true })).key);
    await admin.deployments.create({ name: "d" });
    const err = await expectApiError(platform.admin.orgs.delete(org.slug), 409, "conflict");
    expect(err.message).toMatch(/still has 1 key\(s\).*force=true/);
    expect(await statusOf(admin.deployments.execute("d", key))).toBe(200);
    await platform.admin.orgs.delete(org.slug, { force: "true" });
    expect(await statusOf(admin.deployments.execute("d", key))).toBe(401);
    expect(await statusOf(admin.deployments.list())).toBe(401);
    await expectApiError(platform.admin.orgs.get(org.slug), 404, "not_found");
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE org_id = ?", org.id)).toBe(0);
    expect(await suite.svc.db.count("SELECT count(*) FROM api_keys WHERE org_id = ?", org.id)).toBe(0);
    expect(await suite.svc.db.count("SELECT count(*) FROM users WHERE org_id = ?", org.id)).toBe(0);
  });

  it("deletes an org without keys", async () => {
    const { org } = await createOrg();
    await platform.admin.orgs.delete(org.slug);
    await expectApiError(platform.admin.orgs.get(org.slug), 404, "not_found");
  });
});

describe("GET /api/v1/admin/users", () => {
  it("lists members across orgs, filtered by org and role, never a token", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const member = await suite.svc.client(b.adminToken, b.org.slug).members.create({ name: "bob", role: "member" });
    suite.ledger.add(member.token);
    const all = await platform.admin.users.list({ limit: 100 });
    expect(all.items.map((u) => u.org)).toEqual(expect.arrayContaining([a.org.slug, b.org.slug]));
    const onlyB = await platform.admin.users.list({ org: b.org.slug });
    expect(onlyB.items.map((u) => ({ org: u.org, role: u.role })).sort((x, y) => x.role.localeCompare(y.role))).toEqual([
      { org: b.org.slug, role: "admin" },
      { org: b.org.slug, role: "member" },
    ]);
    const members = await platform.admin.users.list({ org: b.org.slug, role: "member" });
    expect(members.items).toEqual([{ id: member.id, org: b.org.slug, name: "bob", role: "member", createdAt: member.createdAt, lastUsedAt: null }]);
    const res = await rawRequest(suite.svc.url, "GET", "/api/v1/admin/users", { headers: { authorization: `Bearer ${await suite.svc.platformAdmin()}` } });
    expect(res.text).not.toMatch(/ks_(usr|adm|pak|gak|dk)_/);
  });
});

describe("who may call /api/v1/admin", () => {
  it("answers 403 to every other valid credential, org admins included, and 401 without one", async () => {
    const full = await suite.org.platformKey("full_access");
    for (const token of [suite.org.adminToken, full.key]) {
      await expectApiError(suite.svc.client(token).admin.orgs.list(), 403, "forbidden");
      await expectApiError(suite.svc.client(token).admin.orgs.create({ slug: uniqueName("x") }), 403, "forbidden");
    }
    await expectApiError(suite.svc.client().admin.orgs.list(), 401, "unauthorized");
    await expectApiError(suite.svc.client("ks_adm_guess").admin.orgs.list(), 401, "unauthorized");
  });

  it("answers 403 to a platform admin token on an org's routes: it acts in an org only through an impersonation", async () => {
    const token = await suite.svc.platformAdmin();
    const err = await expectApiError(suite.svc.client(token, suite.org.slug).deployments.list(), 403, "forbidden");
    expect(err.message).toContain("impersonat");
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
