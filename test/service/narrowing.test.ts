import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

/**
 * A read_write key may narrow a key (deactivate it, shorten its expiry, drop deployments) but may
 * not undo what an admin narrowed: re-activate, clear or extend the expiry, open every deployment,
 * add deployments, raise a tier. Those need an org admin or a full_access key.
 */
const suite = serviceSuite();
const later = "2030-01-01T00:00:00.000Z";
const sooner = "2029-01-01T00:00:00.000Z";

async function setup() {
  const [a, b] = [await suite.org.deployment(), await suite.org.deployment()];
  const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [a.id], expiresAt: later, isActive: false });
  const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
  const full = suite.org.client((await suite.org.platformKey("full_access")).key);
  return { a, b, key, rw, full };
}

async function row(id: string) {
  const [key] = await suite.svc.db.query<{ is_active: number; expires_at: number | null; allow_all_deployments: number }>(
    "SELECT is_active, expires_at, allow_all_deployments FROM api_keys WHERE id = ?",
    id,
  );
  const scope = (await suite.svc.db.query<{ deployment_id: string }>("SELECT deployment_id FROM api_key_deployments WHERE api_key_id = ? ORDER BY deployment_id", id)).map((r) => r.deployment_id);
  return { ...key, scope };
}

describe("PATCH global-api-keys/:id by a read_write key", () => {
  it.each([
    ["re-activating a deactivated key", "isActive", () => ({ isActive: true })],
    ["clearing its expiry", "expiresAt", () => ({ expiresAt: null })],
    ["extending its expiry", "expiresAt", () => ({ expiresAt: "2031-01-01T00:00:00Z" })],
    ["opening every deployment", "allowAllDeployments", () => ({ allowAllDeployments: true, deploymentIds: [] })],
  ] as const)("returns 403 for %s, naming %s, and changes nothing", async (_what, field, patch) => {
    const { key, rw } = await setup();
    const before = await row(key.id);
    const err = await expectApiError(rw.globalApiKeys.update(key.id, patch()), 403, "forbidden");
    expect(err.message).toContain(`widening ${field}`);
    expect(await row(key.id)).toEqual(before);
  });

  it("returns 403 for adding a deployment, and changes nothing", async () => {
    const { a, b, key, rw } = await setup();
    const before = await row(key.id);
    const err = await expectApiError(rw.globalApiKeys.update(key.id, { deploymentIds: [a.id, b.id] }), 403, "forbidden");
    expect(err.message).toContain("widening deploymentIds");
    expect(await row(key.id)).toEqual(before);
  });

  it("narrows: deactivates, shortens the expiry, swaps to fewer deployments", async () => {
    const { a, b, rw } = await setup();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [a.id, b.id], expiresAt: later });
    await expect(rw.globalApiKeys.update(key.id, { isActive: false, expiresAt: sooner, deploymentIds: [b.id] })).resolves.toMatchObject({
      isActive: false,
      expiresAt: sooner,
      deploymentIds: [b.id],
    });
  });

  it("lets a full_access key and an admin widen", async () => {
    const { a, b, key, full } = await setup();
    await expect(full.globalApiKeys.update(key.id, { isActive: true, expiresAt: null })).resolves.toMatchObject({ isActive: true, expiresAt: null });
    await expect(suite.org.admin.globalApiKeys.update(key.id, { deploymentIds: [a.id, b.id] })).resolves.toMatchObject({ deploymentIds: [a.id, b.id].sort() });
  });
});

describe("PATCH platform-api-keys/:id by a read_write key", () => {
  it("returns 403 for re-activating a read key, and deactivates one", async () => {
    const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
    const target = await suite.org.platformKey("read", { isActive: false });
    await expectApiError(rw.platformApiKeys.update(target.id, { isActive: true }), 403, "forbidden");
    const other = await suite.org.platformKey("read");
    await expect(rw.platformApiKeys.update(other.id, { isActive: false })).resolves.toMatchObject({ isActive: false });
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
