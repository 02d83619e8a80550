import { PlatformApiKey, PlatformApiKeyWithSecret } from "@keyservice/sdk";
import { detailPaths, expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, type TestOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();
let other: TestOrg;

beforeAll(async () => {
  other = await newOrg(suite.svc, suite.ledger);
});

const permissionOf = async (id: string) => (await suite.svc.db.query<{ permission: string }>("SELECT permission FROM api_keys WHERE id = ?", id))[0]?.permission;

describe("POST /api/v1/orgs/:org/platform-api-keys", () => {
  it("returns 201 with a ks_pak_ key of permission read by default", async () => {
    const name = uniqueName("p");
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/platform-api-keys`, { headers: { authorization: `Bearer ${suite.org.adminToken}` }, body: { name } });
    expect(res.status).toBe(201);
    const key = PlatformApiKeyWithSecret.strict().parse(res.json);
    suite.ledger.add(key.key);
    expect(key).toMatchObject({ name, permission: "read", isActive: true, version: 1, key: expect.stringMatching(/^ks_pak_/) });
    expect(key).not.toHaveProperty("deploymentIds");
    expect(key.keyHint).toBe(`ks_pak_...${key.key.slice(-4)}`);
    expect(await suite.svc.db.query("SELECT kind, permission FROM api_keys WHERE id = ?", key.id)).toEqual([{ kind: "platform", permission: "read" }]);
  });

  it("lets a full_access key create keys of every tier", async () => {
    const full = suite.org.client((await suite.org.platformKey("full_access")).key);
    for (const permission of ["read", "read_write", "full_access"] as const) {
      const made = await full.platformApiKeys.create({ name: uniqueName("p"), permission });
      expect(await permissionOf(made.id)).toBe(permission);
    }
  });

  it("returns 403 to a read_write key: minting a secret needs admin or full_access", async () => {
    const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
    const name = uniqueName("p");
    await expectApiError(rw.platformApiKeys.create({ name, permission: "read" }), 403, "forbidden");
    expect(await suite.svc.db.count("SELECT count(*) FROM api_keys WHERE name = ?", name)).toBe(0);
  });

  it("returns 422 for an unknown permission and for deployment fields", async () => {
    const err = await expectApiError(
      suite.org.admin.http.call("createPlatformApiKey", { body: { name: uniqueName("p"), permission: "admin", allowAllDeployments: true } }),
      422,
      "validation_failed",
    );
    expect(detailPaths(err)).toEqual(["allowAllDeployments", "permission"]);
  });

  it("returns 409 for a name taken by another platform key of the org", async () => {
    const name = uniqueName("p");
    await suite.org.admin.platformApiKeys.create({ name });
    await expectApiError(suite.org.admin.platformApiKeys.create({ name, permission: "full_access" }), 409, "conflict");
    expect(await suite.svc.db.count("SELECT count(*) FROM api_keys WHERE name = ?", name)).toBe(1);
  });
});

describe("GET /api/v1/orgs/:org/platform-api-keys", () => {
  it("pages through the org's platform keys only, without secrets", async () => {
    const paged = await newOrg(suite.svc, suite.ledger);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await paged.admin.platformApiKeys.create({ name: `p${i}` }));
    await paged.admin.globalApiKeys.create({ name: "global-one", allowAllDeployments: true });
    const first = await paged.admin.platformApiKeys.list({ limit: 2 });
    const second = await paged.admin.platformApiKeys.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    const items = [...first.items, ...second.items];
    expect(items.map((k) => k.id)).toEqual(made.map((k) => k.id).sort());
    for (const item of items) expect(PlatformApiKey.strict().safeParse(item).success).toBe(true);
  });
});

describe("GET /api/v1/orgs/:org/platform-api-keys/:id", () => {
  it("returns the key, and 404 for another org's key or a global key's id", async () => {
    const { key: _secret, ...created } = await suite.org.platformKey("read_write");
    await expect(suite.org.admin.platformApiKeys.get(created.id)).resolves.toEqual(created);
    const theirs = await other.platformKey("read");
    await expectApiError(suite.org.admin.platformApiKeys.get(theirs.id), 404, "not_found");
    const global = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(suite.org.admin.platformApiKeys.get(global.id), 404, "not_found");
  });
});

describe("PATCH /api/v1/orgs/:org/platform-api-keys/:id", () => {
  it("changes only the fields sent", async () => {
    const key = await suite.org.platformKey("read");
    const updated = await suite.org.admin.platformApiKeys.update(key.id, { permission: "read_write" });
    expect(updated).toMatchObject({ name: key.name, permission: "read_write", isActive: true, version: 1 });
    await expect(suite.org.client(key.key).deployments.create({ name: uniqueName("d") })).resolves.toMatchObject({ isActive: true });
  });

  it("returns 403 to a read_write key raising a read key to read_write: widening a key needs an admin or full_access", async () => {
    const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
    const target = await suite.org.platformKey("read");
    const err = await expectApiError(rw.platformApiKeys.update(target.id, { permission: "read_write" }), 403, "forbidden");
    expect(err.message).toContain("widening permission");
    expect(await permissionOf(target.id)).toBe("read");
  });

  it("lets a full_access key raise a read key to read_write", async () => {
    const full = suite.org.client((await suite.org.platformKey("full_access")).key);
    const target = await suite.org.platformKey("read");
    await expect(full.platformApiKeys.update(target.id, { permission: "read_write" })).resolves.toMatchObject({ permission: "read_write" });
  });

  it("returns 403 to a read_write key raising a tier above its own", async () => {
    const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
    const target = await suite.org.platformKey("read");
    const err = await expectApiError(rw.platformApiKeys.update(target.id, { permission: "full_access" }), 403, "forbidden");
    expect(err.message).toContain("full_access");
    expect(await permissionOf(target.id)).toBe("read");
  });

  it("returns 403 to a read_write key changing a full_access key", async () => {
    const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
    const target = await suite.org.platformKey("full_access");
    await expectApiError(rw.platformApiKeys.update(target.id, { isActive: false }), 403, "forbidden");
    await expectApiError(rw.platformApiKeys.update(target.id, { permission: "read" }), 403, "forbidden");
    expect(await suite.svc.db.query("SELECT permission, is_active FROM api_keys WHERE id = ?", target.id)).toEqual([{ permission: "full_access", is_active: 1 }]);
  });

  it("returns 403 to a read_write key raising itself", async () => {
    const self = await suite.org.platformKey("read_write");
    await expectApiError(suite.org.client(self.key).platformApiKeys.update(self.id, { permission: "full_access" }), 403, "forbidden");
    expect(await permissionOf(self.id)).toBe("read_write");
  });

  it("returns 404 for another org's key", async () => {
    const theirs = await other.platformKey("read");
    await expectApiError(suite.org.admin.platformApiKeys.update(theirs.id, { permission: "full_access" }), 404, "not_found");
    expect(await permissionOf(theirs.id)).toBe("read");
  });
});

describe("DELETE /api/v1/orgs/:org/platform-api-keys/:id", () => {
  it("returns 204, then 404, and the key stops authenticating", async () => {
    const key = await suite.org.platformKey("full_access");
    await suite.org.client(key.key).deployments.list();
    const res = await rawRequest(suite.svc.url, "DELETE", `/api/v1/orgs/${suite.org.slug}/platform-api-keys/${key.id}`, { headers: { authorization: `Bearer ${suite.org.adminToken}` } });
    expect(res.status).toBe(204);
    await expectApiError(suite.org.admin.platformApiKeys.get(key.id), 404, "not_found");
    await expectApiError(suite.org.admin.platformApiKeys.delete(key.id), 404, "not_found");
    await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
    expect(await suite.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ?", key.id)).toBe(0);
  });

  it("lets a full_access key delete itself", async () => {
    const key = await suite.org.platformKey("full_access");
    await suite.org.client(key.key).platformApiKeys.delete(key.id);
    await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
  });

  it("returns 404 for another org's key, and leaves it working", async () => {
    const theirs = await other.platformKey("read");
    await expectApiError(suite.org.admin.platformApiKeys.delete(theirs.id), 404, "not_found");
    await expect(other.client(theirs.key).deployments.list()).resolves.toMatchObject({ items: [] });
  });
});

describe("POST /api/v1/orgs/:org/platform-api-keys/:id/rotate", () => {
  it("returns 403 to a read_write key, and the key keeps its secret", async () => {
    const rw = suite.org.client((await suite.org.platformKey("read_write")).key);
    const target = await suite.org.platformKey("read");
    await expectApiError(rw.platformApiKeys.rotate(target.id), 403, "forbidden");
    await expect(suite.org.client(target.key).deployments.list()).resolves.toBeDefined();
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
