import { AuditEvent } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, type TestOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

/** Every audit event of an org, paging with the cursor. */
async function allEvents(org: TestOrg, limit = 3): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await org.admin.auditEvents.list({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    events.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events;
}

describe("GET /api/v1/orgs/:org/audit-events", () => {
  let expected: { actor: string; action: string; target: string | null; outcome: string }[];

  beforeAll(async () => {
    const [bootstrapEvent] = (await suite.org.admin.auditEvents.list()).items;
    const adminActor = bootstrapEvent.target ? `user:${bootstrapEvent.target}` : "";
    const member = await suite.org.admin.members.create({ name: uniqueName("m"), role: "member" });
    const dep = await suite.org.admin.deployments.create({ name: uniqueName("d") });
    await suite.org.admin.deployments.update(dep.id, { isActive: true });
    const depKey = await suite.org.admin.deployments.keys.create(dep.id);
    await suite.org.admin.deployments.keys.delete(dep.id, depKey.id);
    const g = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await suite.org.admin.globalApiKeys.update(g.id, { description: "x" });
    await suite.org.admin.globalApiKeys.rotate(g.id);
    await suite.org.admin.globalApiKeys.delete(g.id);
    const p = await suite.org.admin.platformApiKeys.create({ name: uniqueName("p"), permission: "full_access" });
    const asKey = suite.org.client(p.key);
    const d2 = await asKey.deployments.create({ name: uniqueName("d") });
    await asKey.deployments.delete(d2.id);
    await suite.org.admin.platformApiKeys.update(p.id, { description: "y" });
    await suite.org.admin.platformApiKeys.rotate(p.id);
    await suite.org.admin.platformApiKeys.delete(p.id);
    await expectApiError(suite.org.client(`ks_usr_${"x".repeat(43)}`).deployments.list(), 401, "unauthorized");
    await suite.org.admin.deployments.delete(dep.id);
    const pk = `platform_api_key:${p.id}`;
    expected = [
      { actor: "cli:bootstrap", action: "member.create", target: bootstrapEvent.target, outcome: "success" },
      { actor: adminActor, action: "member.create", target: member.id, outcome: "success" },
      { actor: adminActor, action: "deployment.create", target: dep.id, outcome: "success" },
      { actor: adminActor, action: "deployment.update", target: dep.id, outcome: "success" },
      { actor: adminActor, action: "deployment_key.create", target: depKey.id, outcome: "success" },
      { actor: adminActor, action: "deployment_key.delete", target: depKey.id, outcome: "success" },
      { actor: adminActor, action: "global_api_key.create", target: g.id, outcome: "success" },
      { actor: adminActor, action: "global_api_key.update", target: g.id, outcome: "success" },
      { actor: adminActor, action: "global_api_key.rotate", target: g.id, outcome: "success" },
      { actor: adminActor, action: "global_api_key.delete", target: g.id, outcome: "success" },
      { actor: adminActor, action: "platform_api_key.create", target: p.id, outcome: "success" },
      { actor: pk, action: "deployment.create", target: d2.id, outcome: "success" },
      { actor: pk, action: "deployment.delete", target: d2.id, outcome: "success" },
      { actor: adminActor, action: "platform_api_key.update", target: p.id, outcome: "success" },
      { actor: adminActor, action: "platform_api_key.rotate", target: p.id, outcome: "success" },
      { actor: adminActor, action: "platform_api_key.delete", target: p.id, outcome: "success" },
      { actor: "client:127.0.0.1", action: "auth.failed", target: "GET /api/v1/orgs/:org/deployments", outcome: "failure" },
      { actor: adminActor, action: "deployment.delete", target: dep.id, outcome: "success" },
    ];
  });

  it("answers 200 with {items, nextCursor}, each item {id, at, actor, action, target, outcome, detail, count}", async () => {
    const res = await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${suite.org.slug}/audit-events?limit=2`, { headers: { authorization: `Bearer ${suite.org.adminToken}` } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json as object).sort()).toEqual(["items", "nextCursor"]);
    for (const item of (res.json as { items: unknown[] }).items) {
      expect(Object.keys(AuditEvent.strict().parse(item)).sort()).toEqual(["action", "actor", "at", "count", "detail", "id", "outcome", "target"]);
    }
  });

  it("records every create, update, rotate, delete, member creation and failed authentication, oldest first", async () => {
    const events = await allEvents(suite.org);
    expect(events.map(({ actor, action, target, outcome }) => ({ actor, action, target, outcome }))).toEqual(expected);
    const times = events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("pages with limit and cursor, each event once", async () => {
    const byTwo = await allEvents(suite.org, 2);
    const byHundred = await allEvents(suite.org, 100);
    expect(byTwo).toEqual(byHundred);
    expect(new Set(byTwo.map((e) => e.id)).size).toBe(byTwo.length);
  });

  it("never holds a secret", async () => {
    const res = await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${suite.org.slug}/audit-events?limit=100`, { headers: { authorization: `Bearer ${suite.org.adminToken}` } });
    expect(suite.ledger.size).toBeGreaterThan(0);
    expect(suite.ledger.foundIn(res.text)).toEqual([]);
  });

  it("shows only the org's own events", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    await other.admin.deployments.create({ name: uniqueName("d") });
    const ids = new Set((await allEvents(suite.org, 100)).map((e) => e.target));
    const theirs = await allEvents(other, 100);
    expect(theirs.map((e) => e.action)).toEqual(["member.create", "deployment.create"]);
    for (const e of theirs) expect(ids.has(e.target)).toBe(false);
  });

  it("lets a full_access key read the trail, and returns 403 to read_write, read and member callers", async () => {
    const full = suite.org.client((await suite.org.platformKey("full_access")).key);
    await expect(full.auditEvents.list()).resolves.toMatchObject({ items: expect.any(Array) });
    for (const token of [(await suite.org.platformKey("read_write")).key, (await suite.org.platformKey("read")).key, await suite.org.memberToken()]) {
      await expectApiError(suite.org.client(token).auditEvents.list(), 403, "forbidden");
    }
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
