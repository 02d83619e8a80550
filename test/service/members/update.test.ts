import { expectApiError } from "../../helpers/api";
import { expectNoSecretsInService } from "../../helpers/leaks";
import { newOrg, uniqueName } from "../../helpers/org";
import { serviceSuite } from "../../helpers/suite";

const suite = serviceSuite();

describe("PATCH /api/v1/orgs/:org/members/:id", () => {
  it("renames a member and changes its role, with effect on its token at once", async () => {
    const created = await suite.org.admin.members.create({ name: uniqueName("m"), role: "member" });
    const token = suite.ledger.add(created.token);
    const asMember = suite.org.client(token);
    await expectApiError(asMember.deployments.create({ name: uniqueName("d") }), 403, "forbidden");
    const renamed = uniqueName("renamed");
    await expect(suite.org.admin.members.update(created.id, { name: renamed, role: "admin" })).resolves.toMatchObject({ name: renamed, role: "admin" });
    await expect(asMember.deployments.create({ name: uniqueName("d") })).resolves.toMatchObject({ isActive: true });
    await suite.org.admin.members.update(created.id, { role: "member" });
    await expectApiError(asMember.deployments.create({ name: uniqueName("d") }), 403, "forbidden");
    expect(await suite.svc.db.query("SELECT name, role FROM users WHERE id = ?", created.id)).toEqual([{ name: renamed, role: "member" }]);
  });

  it("returns 409 with a sentence when it would demote the last admin, and changes nothing", async () => {
    const solo = await newOrg(suite.svc, suite.ledger);
    const [me] = (await solo.admin.members.list()).items;
    const err = await expectApiError(solo.admin.members.update(me.id, { role: "member" }), 409, "conflict");
    expect(err.message).toMatch(/last admin of this org.*make another member an admin first/);
    expect(await suite.svc.db.query("SELECT role FROM users WHERE id = ?", me.id)).toEqual([{ role: "admin" }]);
  });

  it("demotes an admin when another admin remains", async () => {
    const second = await suite.org.admin.members.create({ name: uniqueName("a"), role: "admin" });
    suite.ledger.add(second.token);
    await expect(suite.org.admin.members.update(second.id, { role: "member" })).resolves.toMatchObject({ role: "member" });
  });

  it("returns 409 when the new name is taken", async () => {
    const a = await suite.org.admin.members.create({ name: uniqueName("a"), role: "member" });
    const b = await suite.org.admin.members.create({ name: uniqueName("b"), role: "member" });
    await expectApiError(suite.org.admin.members.update(b.id, { name: a.name }), 409, "conflict");
  });

  it("returns 403 to a member, and to every platform key: people are managed by people", async () => {
    const target = await suite.org.admin.members.create({ name: uniqueName("t"), role: "member" });
    await expectApiError(suite.org.client(await suite.org.memberToken()).members.update(target.id, { role: "admin" }), 403, "forbidden");
    const full = await suite.org.platformKey("full_access");
    await expectApiError(suite.org.client(full.key).members.update(target.id, { role: "admin" }), 403, "forbidden");
    expect(await suite.svc.db.query("SELECT role FROM users WHERE id = ?", target.id)).toEqual([{ role: "member" }]);
  });

  it("returns 422 naming each bad field", async () => {
    const target = await suite.org.admin.members.create({ name: uniqueName("t"), role: "member" });
    const err = await expectApiError(suite.org.admin.members.update(target.id, { name: " x", role: "owner" as "admin" }), 422, "validation_failed");
    expect((err.details ?? []).map((d) => d.path).sort()).toEqual(["name", "role"]);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
