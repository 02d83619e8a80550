import { createHash, randomUUID } from "node:crypto";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();
/** Every secret this file was issued, with the id of what it belongs to. */
const issued: { kind: string; secret: string; ownerId: string }[] = [];

beforeAll(async () => {
  const dep = await suite.org.deployment();
  for (let i = 0; i < 3; i++) {
    const g = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey: randomUUID() });
    issued.push({ kind: "global", secret: g.key, ownerId: g.id });
    const p = await suite.org.admin.platformApiKeys.create({ name: uniqueName("p"), permission: "full_access" });
    issued.push({ kind: "platform", secret: p.key, ownerId: p.id });
    const d = await suite.org.admin.deployments.keys.create(dep.id);
    issued.push({ kind: "deployment", secret: d.key, ownerId: d.id });
    const m = await suite.org.admin.members.create({ name: uniqueName("m"), role: "member" });
    issued.push({ kind: "user", secret: m.token, ownerId: m.id });
    const r = await suite.org.admin.globalApiKeys.rotate(g.id, { gracePeriodSeconds: 60 }, { idempotencyKey: randomUUID() });
    issued.push({ kind: "global", secret: r.key, ownerId: g.id });
    // Use each secret once, so that it has travelled in a request too.
    await suite.org.client(p.key).deployments.list();
    await suite.org.client(m.token).deployments.list();
    await suite.org.client().deployments.execute(dep.name, d.key);
    await suite.org.client().deployments.execute(dep.name, r.key);
  }
});

const PREFIX: Record<string, string> = { global: "ks_gak_", platform: "ks_pak_", deployment: "ks_dk_", user: "ks_usr_" };

describe("issued secrets", () => {
  it.each(Object.entries(PREFIX))("gives %s secrets the %s prefix and at least 256 bits of base62", (kind, prefix) => {
    const secrets = issued.filter((i) => i.kind === kind).map((i) => i.secret);
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.startsWith(prefix)).toBe(true);
      const body = secret.slice(prefix.length);
      expect(body).toMatch(/^[0-9A-Za-z]+$/);
      expect(body.length * Math.log2(62)).toBeGreaterThanOrEqual(256);
    }
  });

  it("never issues the same secret twice", () => {
    expect(new Set(issued.map((i) => i.secret)).size).toBe(issued.length);
  });

  it("stores a SHA-256 digest of each secret, never the secret", async () => {
    for (const { secret, ownerId } of issued) {
      const rows = await suite.svc.db.query<{ digest: string; owner_id: string }>("SELECT digest, owner_id FROM credentials WHERE digest = ?", createHash("sha256").update(secret).digest("hex"));
      expect(rows).toEqual([{ digest: expect.stringMatching(/^[0-9a-f]{64}$/), owner_id: ownerId }]);
    }
  });

  it("shows a hint of the last 4 characters only, in every list", async () => {
    const listed = [
      ...(await suite.org.admin.globalApiKeys.list({ limit: 100 })).items,
      ...(await suite.org.admin.platformApiKeys.list({ limit: 100 })).items,
    ];
    for (const item of listed) expect(item.keyHint).toMatch(/^ks_(gak|pak)_\.\.\.[0-9A-Za-z]{4}$/);
    expect(suite.ledger.foundIn(JSON.stringify(listed))).toEqual([]);
  });

  it("never echoes a presented token in an error response", async () => {
    const almost = issued[0].secret.slice(0, -1) + (issued[0].secret.endsWith("A") ? "B" : "A");
    const bad = await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${suite.org.slug}/deployments`, { headers: { authorization: `Bearer ${almost}` } });
    expect(bad.status).toBe(401);
    expect(bad.text).not.toContain(almost);
    const tooLong = "ks_gak_" + "x".repeat(600);
    const verify = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/keys/verify`, { headers: { authorization: `Bearer ${suite.org.adminToken}` }, body: { key: tooLong } });
    expect(verify.status).toBe(422);
    expect(verify.text).not.toContain("x".repeat(20));
  });
});

describe("logs", () => {
  it("are JSON lines, one per event, with the Authorization header never in them", () => {
    const lines = suite.svc.logs().trim().split("\n");
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const entry = JSON.parse(line) as { req?: { headers?: Record<string, string> } };
      expect(entry.req?.headers?.authorization ?? "[redacted]").toBe("[redacted]");
    }
    expect(suite.svc.logs().toLowerCase()).not.toContain("bearer ks_");
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    expect(suite.ledger.size).toBeGreaterThanOrEqual(issued.length);
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
