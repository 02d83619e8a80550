import { MemberWithToken } from "@keyservice/sdk";
import { detailPaths, expectApiError } from "../../helpers/api";
import { rawRequest } from "../../helpers/http";
import { expectNoSecretsInService } from "../../helpers/leaks";
import { newOrg, uniqueName } from "../../helpers/org";
import { serviceSuite } from "../../helpers/suite";

const suite = serviceSuite();

describe("POST /api/v1/orgs/:org/members", () => {
  it("returns 201 with the member and a ks_usr_ token, shown once", async () => {
    const name = uniqueName("alice");
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/members`, { headers: { authorization: `Bearer ${suite.org.adminToken}` }, body: { name, role: "member" } });
    expect(res.status).toBe(201);
    const created = MemberWithToken.strict().parse(res.json);
    suite.ledger.add(created.token);
    expect(created).toEqual({ id: expect.any(String), name, role: "member", createdAt: expect.any(String), lastUsedAt: null, token: expect.stringMatching(/^ks_usr_/) });
    const [user] = await suite.svc.db.query("SELECT u.name, u.role, o.slug FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?", created.id);
    expect(user).toEqual({ name, role: "member", slug: suite.org.slug });
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ? AND kind = 'user'", created.id)).toBe(1);
    await expect(suite.org.client(created.token).deployments.list()).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it("gives a member a token that reads but cannot write", async () => {
    const member = suite.org.client(await suite.org.memberToken("member"));
    await expect(member.deployments.list()).resolves.toMatchObject({ items: expect.any(Array) });
    await expect(member.globalApiKeys.list()).resolves.toMatchObject({ items: expect.any(Array) });
    await expectApiError(member.deployments.create({ name: uniqueName("dep") }), 403, "forbidden");
    await expectApiError(member.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }), 403, "forbidden");
    await expectApiError(member.auditEvents.list(), 403, "forbidden");
  });

  it("gives an admin a token that can do everything, including adding members", async () => {
    const admin = suite.org.client(await suite.org.memberToken("admin"));
    const dep = await admin.deployments.create({ name: uniqueName("dep") });
    const key = await admin.deployments.keys.create(dep.id);
    await expect(admin.members.create({ name: uniqueName("bob"), role: "member" })).resolves.toMatchObject({ role: "member" });
    await admin.deployments.keys.delete(dep.id, key.id);
    await admin.deployments.delete(dep.id);
  });

  it("returns 403 to a member", async () => {
    const member = suite.org.client(await suite.org.memberToken("member"));
    const name = uniqueName("eve");
    await expectApiError(member.members.create({ name, role: "admin" }), 403, "forbidden");
    expect(await suite.svc.db.count("SELECT count(*) FROM users WHERE name = ?", name)).toBe(0);
  });

  it.each(["read", "read_write", "full_access"] as const)("returns 403 to a %s platform key: only an org admin adds members", async (permission) => {
    const key = await suite.org.platformKey(permission);
    const name = uniqueName("mallory");
    await expectApiError(suite.org.client(key.key).members.create({ name, role: "member" }), 403, "forbidden");
    expect(await suite.svc.db.count("SELECT count(*) FROM users WHERE name = ?", name)).toBe(0);
  });

  it("returns 409 for a name already taken in the org, and allows it in another org", async () => {
    const name = uniqueName("carol");
    await suite.org.admin.members.create({ name, role: "member" });
    const err = await expectApiError(suite.org.admin.members.create({ name, role: "admin" }), 409, "conflict");
    expect(err.message).toContain(name);
    const other = await newOrg(suite.svc, suite.ledger);
    await expect(other.admin.members.create({ name, role: "member" })).resolves.toMatchObject({ name });
  });

  it("returns 422 naming each bad field", async () => {
    const err = await expectApiError(suite.org.admin.members.create({ name: "", role: "owner" as "admin" }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["name", "role"]);
  });

  it("records member.create in the audit trail with the admin as actor", async () => {
    const created = await suite.org.admin.members.create({ name: uniqueName("dave"), role: "member" });
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100 });
    const event = items.find((e) => e.target === created.id);
    expect(event).toMatchObject({ action: "member.create", outcome: "success", actor: expect.stringMatching(/^user:/) });
  });

  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
