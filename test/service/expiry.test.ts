import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";
import { pollUntil, statusOf, waitUntilPast } from "../helpers/wait";

const suite = serviceSuite();

/** An instant `ms` from now, written in a given UTC offset (e.g. "+14:00" or "-10:00"). */
function instantIn(ms: number, offset: string): string {
  const sign = offset.startsWith("-") ? -1 : 1;
  const [h, m] = offset.slice(1).split(":").map(Number);
  const shifted = new Date(Date.now() + ms + sign * (h * 60 + m) * 60_000);
  return shifted.toISOString().replace("Z", offset);
}

describe("expiresAt", () => {
  it("treats the same instant written with different offsets as equal", async () => {
    const a = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true, expiresAt: "2030-01-01T02:00:00+02:00" });
    const b = await suite.org.admin.platformApiKeys.create({ name: uniqueName("p"), expiresAt: "2030-01-01T00:00:00Z" });
    expect(a.expiresAt).toBe("2030-01-01T00:00:00.000Z");
    expect(b.expiresAt).toBe(a.expiresAt);
    const rows = await suite.svc.db.query<{ expires_at: number }>("SELECT expires_at FROM api_keys WHERE id IN (?, ?)", a.id, b.id);
    expect(new Set(rows.map((r) => r.expires_at)).size).toBe(1);
  });

  it("compares as instants: a key due in the future but written with a -10:00 offset still works", async () => {
    // As text "…-10:00" sorts before the current UTC time: a text comparison would call it expired.
    const expiresAt = instantIn(60_000, "-10:00");
    expect(expiresAt < new Date().toISOString()).toBe(true);
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id], expiresAt });
    await expect(suite.org.client().deployments.execute(dep.name, key.key)).resolves.toMatchObject({ keyId: key.id });
  });

  it("compares as instants: a key already past but written with a +14:00 offset is refused", async () => {
    const expiresAt = instantIn(-60_000, "+14:00");
    expect(expiresAt > new Date().toISOString()).toBe(true);
    const key = await suite.org.platformKey("read", { expiresAt });
    await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
  });

  it("refuses a global key once its expiresAt passes, and verify says EXPIRED", async () => {
    const dep = await suite.org.deployment();
    const expiresAt = instantIn(1500, "+02:00");
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id], expiresAt });
    await expect(suite.org.client().deployments.execute(dep.name, key.key)).resolves.toMatchObject({ keyId: key.id });
    await expect(suite.org.admin.keys.verify(key.key)).resolves.toEqual({ valid: true, code: "VALID", kind: "global", keyId: key.id });
    await pollUntil(() => statusOf(suite.org.client().deployments.execute(dep.name, key.key)), (s) => s === 401, { what: "the key to expire" });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    await expect(suite.org.admin.keys.verify(key.key)).resolves.toEqual({ valid: false, code: "EXPIRED", kind: "global", keyId: key.id });
  });

  it("refuses a platform key as a bearer once its expiresAt passes", async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const key = await suite.org.platformKey("read_write", { expiresAt });
    await expect(suite.org.client(key.key).deployments.list()).resolves.toBeDefined();
    await waitUntilPast(expiresAt);
    await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
  });

  it("ends a rotated-out secret's grace at the key's own expiresAt, with the new secret", async () => {
    const dep = await suite.org.deployment();
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const before = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id], expiresAt });
    const after = await suite.org.admin.globalApiKeys.rotate(before.id, { gracePeriodSeconds: 3600 });
    expect(after.previousKeyExpiresAt).toBe(expiresAt);
    await expect(suite.org.client().deployments.execute(dep.name, before.key)).resolves.toMatchObject({ keyId: before.id });
    await waitUntilPast(expiresAt);
    await expectApiError(suite.org.client().deployments.execute(dep.name, before.key), 401, "unauthorized");
    await expectApiError(suite.org.client().deployments.execute(dep.name, after.key), 401, "unauthorized");
  });

  it("brings a key back when expiresAt is cleared", async () => {
    const key = await suite.org.platformKey("read", { expiresAt: "2001-01-01T00:00:00Z" });
    await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
    await suite.org.admin.platformApiKeys.update(key.id, { expiresAt: null });
    await expect(suite.org.client(key.key).deployments.list()).resolves.toBeDefined();
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
