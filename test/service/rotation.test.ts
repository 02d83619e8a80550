import { createHash } from "node:crypto";
import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";
import { pollUntil, statusOf } from "../helpers/wait";

const suite = serviceSuite();

const execute = (name: string, key: string) => suite.org.client().deployments.execute(name, key);
const digestsOf = async (ownerId: string) =>
  (await suite.svc.db.query<{ digest: string }>("SELECT digest FROM credentials WHERE owner_id = ?", ownerId)).map((r) => r.digest).sort();
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("POST /api/v1/orgs/:org/global-api-keys/:id/rotate", () => {
  it("without a grace period: same id, a new key, version+1, and the old secret is refused at once", async () => {
    const dep = await suite.org.deployment();
    const before = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const after = await suite.org.admin.globalApiKeys.rotate(before.id);
    expect(after).toMatchObject({ id: before.id, name: before.name, deploymentIds: [dep.id], version: 2, previousKeyExpiresAt: null, rotatedAt: expect.any(String) });
    expect(after.key).toMatch(/^ks_gak_/);
    expect(after.key).not.toBe(before.key);
    expect(after.keyHint).toBe(`ks_gak_...${after.key.slice(-4)}`);
    await expectApiError(execute(dep.name, before.key), 401, "unauthorized");
    await expect(execute(dep.name, after.key)).resolves.toEqual({ deployment: dep.name, keyKind: "global", keyId: before.id });
    expect(await digestsOf(before.id)).toEqual([sha256(after.key)]);
    await expect(suite.org.admin.globalApiKeys.get(before.id)).resolves.toMatchObject({ version: 2, rotatedAt: after.rotatedAt });
  });

  it("with a grace period: the old secret works until previousKeyExpiresAt, then gets 401", async () => {
    const dep = await suite.org.deployment();
    const before = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const after = await suite.org.admin.globalApiKeys.rotate(before.id, { gracePeriodSeconds: 1 });
    expect(Date.parse(after.previousKeyExpiresAt!) - Date.parse(after.rotatedAt!)).toBe(1000);
    await expect(execute(dep.name, before.key)).resolves.toMatchObject({ keyId: before.id });
    await expect(execute(dep.name, after.key)).resolves.toMatchObject({ keyId: before.id });
    await pollUntil(() => statusOf(execute(dep.name, before.key)), (s) => s === 401, { what: "the old secret to be refused" });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(after.previousKeyExpiresAt!));
    await expect(execute(dep.name, after.key)).resolves.toMatchObject({ keyId: before.id });
  });

  it("never keeps the old secret beyond the key's own expiresAt", async () => {
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true, expiresAt });
    const rotated = await suite.org.admin.globalApiKeys.rotate(key.id, { gracePeriodSeconds: 604800 });
    expect(rotated.previousKeyExpiresAt).toBe(expiresAt);
    expect(rotated.expiresAt).toBe(expiresAt);
  });

  it("ends the previous secret's grace when the key is rotated again", async () => {
    const dep = await suite.org.deployment();
    const first = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const second = await suite.org.admin.globalApiKeys.rotate(first.id, { gracePeriodSeconds: 600 });
    await expect(execute(dep.name, first.key)).resolves.toBeDefined();
    const third = await suite.org.admin.globalApiKeys.rotate(first.id, { gracePeriodSeconds: 600 });
    expect(third.version).toBe(3);
    await expectApiError(execute(dep.name, first.key), 401, "unauthorized");
    await expect(execute(dep.name, second.key)).resolves.toBeDefined();
    await expect(execute(dep.name, third.key)).resolves.toBeDefined();
    expect(await digestsOf(first.id)).toEqual([sha256(second.key), sha256(third.key)].sort());
  });

  it("lets a full_access key rotate, and returns 403 to read_write and member callers", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
    const member = suite.org.client(await suite.org.memberToken());
    await expectApiError(rw.globalApiKeys.rotate(key.id), 403, "forbidden");
    await expectApiError(member.globalApiKeys.rotate(key.id), 403, "forbidden");
    expect(await digestsOf(key.id)).toEqual([sha256(key.key)]);
    const full = suite.org.client((await suite.org.platformKey("full_access")).key);
    await expect(full.globalApiKeys.rotate(key.id)).resolves.toMatchObject({ version: 2 });
  });

  it("records the rotation in the audit trail", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await suite.org.admin.globalApiKeys.rotate(key.id);
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100 });
    expect(items.filter((e) => e.target === key.id).map((e) => e.action)).toEqual(["global_api_key.create", "global_api_key.rotate"]);
  });
});

describe("POST /api/v1/orgs/:org/platform-api-keys/:id/rotate", () => {
  it("without a grace period: the old bearer gets 401 at once, the new one works", async () => {
    const before = await suite.org.platformKey("read");
    const after = await suite.org.admin.platformApiKeys.rotate(before.id, { gracePeriodSeconds: 0 });
    expect(after).toMatchObject({ id: before.id, permission: "read", version: 2, previousKeyExpiresAt: null });
    expect(after.key).toMatch(/^ks_pak_/);
    await expectApiError(suite.org.client(before.key).deployments.list(), 401, "unauthorized");
    await expect(suite.org.client(after.key).deployments.list()).resolves.toBeDefined();
  });

  it("with a grace period: the old bearer works until previousKeyExpiresAt, then gets 401", async () => {
    const before = await suite.org.platformKey("read");
    const after = await suite.org.admin.platformApiKeys.rotate(before.id, { gracePeriodSeconds: 1 });
    await expect(suite.org.client(before.key).deployments.list()).resolves.toBeDefined();
    await pollUntil(() => statusOf(suite.org.client(before.key).deployments.list()), (s) => s === 401, { what: "the old secret to be refused" });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(after.previousKeyExpiresAt!));
    await expect(suite.org.client(after.key).deployments.list()).resolves.toBeDefined();
  });

  it("lets a full_access key rotate itself", async () => {
    const self = await suite.org.platformKey("full_access");
    const rotated = await suite.org.client(self.key).platformApiKeys.rotate(self.id);
    await expectApiError(suite.org.client(self.key).deployments.list(), 401, "unauthorized");
    await expect(suite.org.client(rotated.key).deployments.list()).resolves.toBeDefined();
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
