import { expectApiError } from "../../helpers/api";
import { expectNoSecretsInService } from "../../helpers/leaks";
import { newOrg, uniqueName } from "../../helpers/org";
import { serviceSuite } from "../../helpers/suite";

const suite = serviceSuite();

describe("DELETE /api/v1/orgs/:org/members/:id", () => {
  it("removes the member and revokes every token it holds at once, including one in its grace period", async () => {
    const created = await suite.org.admin.members.create({ name: uniqueName("m"), role: "member" });
    const first = suite.ledger.add(created.token);
    const second = suite.ledger.add((await suite.org.admin.members.rotateToken(created.id, { gracePeriodSeconds: 600 })).token);
    for (const token of [first, second]) await expect(suite.org.client(token).deployments.list()).resolves.toBeDefined();
    await suite.org.admin.members.delete(created.id);
    for (const token of [first, second]) await expectApiError(suite.org.client(token).deployments.list(), 401, "unauthorized");
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ?", created.id)).toBe(0);
    expect(await suite.svc.db.count("SELECT count(*) FROM users WHERE id = ?", created.id)).toBe(0);
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100, action: "member.delete" });
    expect(items.map((e) => e.target)).toContain(created.id);
  });

  it("revokes a leaked admin token without any SQL", async () => {
    const leaked = await suite.org.admin.members.create({ name: uniqueName("leaked"), role: "admin" });
    suite.ledger.add(leaked.token);
    await suite.org.admin.members.delete(leaked.id);
    await expectApiError(suite.org.client(leaked.token).globalApiKeys.list(), 401, "unauthorized");
  });

  it("returns 409 with a sentence for the last admin, and keeps it", async () => {
    const solo = await newOrg(suite.svc, suite.ledger);
    const [me] = (await solo.admin.members.list()).items;
    const err = await expectApiError(solo.admin.members.delete(me.id), 409, "conflict");
    expect(err.message).toMatch(/last admin of this org and cannot be removed/);
    await expect(solo.admin.members.list()).resolves.toMatchObject({ items: [{ id: me.id }] });
  });

  it("never leaves an org without an admin when two admins remove each other at once", async () => {
    const pair = await newOrg(suite.svc, suite.ledger);
    const [first] = (await pair.admin.members.list()).items;
    const second = await pair.admin.members.create({ name: uniqueName("second"), role: "admin" });
    suite.ledger.add(second.token);
    const results = await Promise.allSettled([pair.admin.members.delete(second.id), pair.client(second.token).members.delete(first.id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const admins = await suite.svc.db.count("SELECT count(*) FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.slug = ? AND u.role = 'admin'", pair.slug);
    expect(admins).toBe(1);
  });

  it("returns 403 to a member and to a full_access key, and 404 for another org's member", async () => {
    const target = await suite.org.admin.members.create({ name: uniqueName("t"), role: "member" });
    await expectApiError(suite.org.client(await suite.org.memberToken()).members.delete(target.id), 403, "forbidden");
    await expectApiError(suite.org.client((await suite.org.platformKey("full_access")).key).members.delete(target.id), 403, "forbidden");
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.admin.members.create({ name: uniqueName("theirs"), role: "member" });
    await expectApiError(suite.org.admin.members.delete(theirs.id), 404, "not_found");
    expect(await suite.svc.db.count("SELECT count(*) FROM users WHERE id IN (?, ?)", target.id, theirs.id)).toBe(2);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
