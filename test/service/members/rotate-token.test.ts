import { expectApiError } from "../../helpers/api";
import { expectNoSecretsInService } from "../../helpers/leaks";
import { uniqueName } from "../../helpers/org";
import { serviceSuite } from "../../helpers/suite";
import { pollUntil, statusOf } from "../../helpers/wait";

const suite = serviceSuite();

async function member(role: "admin" | "member" = "member") {
  const created = await suite.org.admin.members.create({ name: uniqueName("m"), role });
  suite.ledger.add(created.token);
  return created;
}

describe("POST /api/v1/orgs/:org/members/:id/rotate-token", () => {
  it("lets the member itself rotate its token: the new one works, the old one stops at once", async () => {
    const m = await member();
    const rotated = await suite.org.client(m.token).members.rotateToken(m.id);
    suite.ledger.add(rotated.token);
    expect(rotated).toMatchObject({ id: m.id, name: m.name, role: "member", token: expect.stringMatching(/^ks_usr_/) });
    expect(rotated.token).not.toBe(m.token);
    await expectApiError(suite.org.client(m.token).deployments.list(), 401, "unauthorized");
    await expect(suite.org.client(rotated.token).deployments.list()).resolves.toBeDefined();
  });

  it("lets an admin rotate a member's token with a grace period: the old one works until it ends", async () => {
    const m = await member();
    const rotated = await suite.org.admin.members.rotateToken(m.id, { gracePeriodSeconds: 2 });
    suite.ledger.add(rotated.token);
    expect(await statusOf(suite.org.client(m.token).deployments.list())).toBe(200);
    await pollUntil(() => statusOf(suite.org.client(m.token).deployments.list()), (s) => s === 401, { timeoutMs: 6000, intervalMs: 100, what: "the old token to stop" });
    expect(await statusOf(suite.org.client(rotated.token).deployments.list())).toBe(200);
  });

  it("returns 403 to another member and to every platform key", async () => {
    const m = await member();
    const other = await member();
    await expectApiError(suite.org.client(other.token).members.rotateToken(m.id), 403, "forbidden");
    await expectApiError(suite.org.client((await suite.org.platformKey("full_access")).key).members.rotateToken(m.id), 403, "forbidden");
    expect(await statusOf(suite.org.client(m.token).deployments.list())).toBe(200);
  });

  it("replays the same token for the same Idempotency-Key, once", async () => {
    const m = await member();
    const first = await suite.org.admin.members.rotateToken(m.id, {}, { idempotencyKey: `rot-${m.id}` });
    const again = await suite.org.admin.members.rotateToken(m.id, {}, { idempotencyKey: `rot-${m.id}` });
    suite.ledger.add(first.token);
    expect(again.token).toBe(first.token);
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ?", m.id)).toBe(1);
  });

  it("records member.rotate_token in the audit trail", async () => {
    const m = await member();
    suite.ledger.add((await suite.org.admin.members.rotateToken(m.id)).token);
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100, action: "member.rotate_token" });
    expect(items.map((e) => e.target)).toContain(m.id);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
