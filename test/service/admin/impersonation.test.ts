import type { KeyserviceClient } from "@keyservice/sdk";
import { detailPaths, expectApiError } from "../../helpers/api";
import { expectNoSecretsInService } from "../../helpers/leaks";
import { uniqueName } from "../../helpers/org";
import { serviceSuite } from "../../helpers/suite";
import { statusOf } from "../../helpers/wait";

const suite = serviceSuite();
let platform: KeyserviceClient;
let adminId: string;

beforeAll(async () => {
  platform = suite.svc.client(suite.ledger.add(await suite.svc.platformAdmin("ops-alice")));
  [{ id: adminId }] = await suite.svc.db.query<{ id: string }>("SELECT id FROM platform_admins WHERE name = 'ops-alice'");
});

async function impersonate(reason = "ticket #42: customer cannot rotate") {
  const started = await platform.admin.impersonate({ org: suite.org.slug, reason });
  suite.ledger.add(started.token);
  return { ...started, client: suite.svc.client(started.token, suite.org.slug) };
}

describe("POST /api/v1/admin/impersonate", () => {
  it("returns a short-lived org-admin token for that org only, with its expiry", async () => {
    const before = Date.now();
    const imp = await impersonate();
    expect(imp).toMatchObject({ org: suite.org.slug, reason: "ticket #42: customer cannot rotate", token: expect.stringMatching(/^ks_imp_/) });
    const expiresIn = Date.parse(imp.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(3590_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000 + 1000);
    await expect(imp.client.deployments.create({ name: uniqueName("d") })).resolves.toMatchObject({ isActive: true });
    const other = await platform.admin.orgs.create({ slug: uniqueName("other") });
    suite.ledger.add(other.adminToken);
    await expectApiError(suite.svc.client(imp.token, other.org.slug).deployments.list(), 403, "forbidden");
  });

  it("takes a shorter duration, and refuses more than an hour or no reason, naming the field", async () => {
    const short = await platform.admin.impersonate({ org: suite.org.slug, reason: "r", durationSeconds: 60 });
    suite.ledger.add(short.token);
    expect(Date.parse(short.expiresAt) - Date.parse(short.createdAt)).toBe(60_000);
    const tooLong = await expectApiError(platform.admin.impersonate({ org: suite.org.slug, reason: "r", durationSeconds: 7200 }), 422, "validation_failed");
    expect(detailPaths(tooLong)).toEqual(["durationSeconds"]);
    const noReason = await expectApiError(platform.admin.impersonate({ org: suite.org.slug, reason: "  " }), 422, "validation_failed");
    expect(detailPaths(noReason)).toEqual(["reason"]);
    await expectApiError(platform.admin.impersonate({ org: "no-such-org", reason: "r" }), 404, "not_found");
  });

  it("cannot create members, issue their tokens, or reach the platform admin's routes", async () => {
    const imp = await impersonate();
    const [someone] = (await suite.org.admin.members.list()).items;
    await expectApiError(imp.client.members.create({ name: uniqueName("m"), role: "admin" }), 403, "forbidden");
    await expectApiError(imp.client.members.rotateToken(someone.id), 403, "forbidden");
    await expectApiError(suite.svc.client(imp.token).admin.impersonate({ org: suite.org.slug, reason: "again" }), 403, "forbidden");
    await expectApiError(suite.svc.client(imp.token).admin.orgs.create({ slug: uniqueName("x") }), 403, "forbidden");
  });

  it("audits the start, every request and the stop in the org's own trail, field by field", async () => {
    const imp = await impersonate("ticket #77");
    const dep = await imp.client.deployments.create({ name: uniqueName("d") });
    await imp.client.deployments.list();
    await platform.admin.stopImpersonation(imp.id);
    const actor = `platform_admin:${adminId} as org admin (impersonation:${imp.id})`;
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100 });
    const mine = items.filter((e) => e.target === `impersonation:${imp.id}` || e.actor === actor);
    expect(mine.map(({ actor, action, target, outcome, detail, count }) => ({ actor, action, target, outcome, detail, count }))).toEqual([
      { actor: `platform_admin:${adminId}`, action: "impersonation.start", target: `impersonation:${imp.id}`, outcome: "success", detail: "ticket #77", count: 1 },
      { actor, action: "deployment.create", target: dep.id, outcome: "success", detail: null, count: 1 },
      { actor, action: "impersonation.read", target: "GET /api/v1/orgs/:org/deployments", outcome: "success", detail: null, count: 1 },
      { actor: `platform_admin:${adminId}`, action: "impersonation.stop", target: `impersonation:${imp.id}`, outcome: "success", detail: "ticket #77", count: 1 },
    ]);
  });
});

describe("POST /api/v1/admin/stop-impersonation", () => {
  it("revokes the impersonation token at once", async () => {
    const imp = await impersonate();
    expect(await statusOf(imp.client.deployments.list())).toBe(200);
    await platform.admin.stopImpersonation(imp.id);
    expect(await statusOf(imp.client.deployments.list())).toBe(401);
    expect(await suite.svc.db.query("SELECT ended_at IS NOT NULL AS ended FROM impersonations WHERE id = ?", imp.id)).toEqual([{ ended: expect.anything() }]);
  });

  it("returns 404 for an unknown impersonation", async () => {
    await expectApiError(platform.admin.stopImpersonation("01a20000-0000-7000-8000-000000000000"), 404, "not_found");
  });

  it("refuses an impersonation of a deactivated org, naming why", async () => {
    const other = await platform.admin.orgs.create({ slug: uniqueName("off") });
    suite.ledger.add(other.adminToken);
    await platform.admin.orgs.update(other.org.slug, { isActive: false });
    const err = await expectApiError(platform.admin.impersonate({ org: other.org.slug, reason: "r" }), 409, "conflict");
    expect(err.message).toContain("deactivated");
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
