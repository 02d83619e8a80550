import { Member } from "@keyservice/sdk";
import { expectApiError } from "../../helpers/api";
import { rawRequest } from "../../helpers/http";
import { expectNoSecretsInService } from "../../helpers/leaks";
import { newOrg, uniqueName } from "../../helpers/org";
import { serviceSuite } from "../../helpers/suite";

const suite = serviceSuite();

describe("GET /api/v1/orgs/:org/members", () => {
  it("lists every member with role and times, never a token, in pages", async () => {
    const names = [uniqueName("m"), uniqueName("m"), uniqueName("m")];
    for (const name of names) await suite.org.admin.members.create({ name, role: "member" });
    const seen: string[] = [];
    for (let cursor: string | undefined; ; ) {
      const res = await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${suite.org.slug}/members?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        headers: { authorization: `Bearer ${suite.org.adminToken}` },
      });
      expect(res.status).toBe(200);
      for (const item of res.json.items) {
        expect(Object.keys(Member.strict().parse(item)).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "role"]);
        seen.push(item.name);
      }
      expect(res.text).not.toMatch(/ks_usr_/);
      if (!res.json.nextCursor) break;
      cursor = res.json.nextCursor;
    }
    expect(seen).toEqual(expect.arrayContaining(names));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("is open to members and to every platform key tier", async () => {
    const member = suite.org.client(await suite.org.memberToken("member"));
    await expect(member.members.list()).resolves.toMatchObject({ items: expect.any(Array) });
    const read = suite.org.client((await suite.org.platformKey("read")).key);
    await expect(read.members.list()).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it("never lists another org's members", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.admin.members.create({ name: uniqueName("theirs"), role: "member" });
    const { items } = await suite.org.admin.members.list({ limit: 100 });
    expect(items.map((m) => m.id)).not.toContain(theirs.id);
  });
});

describe("GET /api/v1/orgs/:org/members/:id", () => {
  it("returns the member, and when it last used its token", async () => {
    const created = await suite.org.admin.members.create({ name: uniqueName("m"), role: "member" });
    suite.ledger.add(created.token);
    expect(await suite.org.admin.members.get(created.id)).toEqual({ id: created.id, name: created.name, role: "member", createdAt: created.createdAt, lastUsedAt: null });
    await suite.org.client(created.token).deployments.list();
    await suite.svc.app.usage.flush();
    expect((await suite.org.admin.members.get(created.id)).lastUsedAt).toEqual(expect.any(String));
  });

  it("returns 404 for another org's member", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.admin.members.create({ name: uniqueName("theirs"), role: "member" });
    await expectApiError(suite.org.admin.members.get(theirs.id), 404, "not_found");
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
