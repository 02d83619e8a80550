import { randomBytes } from "node:crypto";
import { expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const UNAUTHORIZED = "A valid credential is required: send Authorization: Bearer <token>.";

const suite = serviceSuite();

/** A well-formed token of a kind that the service never issued. */
function unknownToken(prefix: string): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return prefix + [...randomBytes(43)].map((b) => alphabet[b % 62]).join("");
}

describe("GET /api/v1/orgs/:org/deployments (authentication)", () => {
  const path = () => `/api/v1/orgs/${suite.org.slug}/deployments`;

  it.each([
    ["no Authorization header", undefined],
    ["a Basic credential", `Basic ${Buffer.from("admin:admin").toString("base64")}`],
    ["Bearer with nothing after it", "Bearer "],
    ["a token without a known prefix", "Bearer not-a-keyservice-token"],
    ["a ks_usr_ token of the wrong length", "Bearer ks_usr_abc"],
    ["an unknown member token", `Bearer ${unknownToken("ks_usr_")}`],
    ["an unknown platform key", `Bearer ${unknownToken("ks_pak_")}`],
  ])("returns 401 with the one unauthorized message to %s", async (_, authorization) => {
    const res = await rawRequest(suite.svc.url, "GET", path(), { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: "unauthorized", message: UNAUTHORIZED } });
  });

  it("returns 401 to a platform key that was deactivated", async () => {
    const key = await suite.org.platformKey("read");
    await suite.org.admin.platformApiKeys.update(key.id, { isActive: false });
    const err = await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
    expect(err.message).toContain(UNAUTHORIZED);
  });

  it("returns 401 to a platform key created inactive", async () => {
    const key = await suite.org.platformKey("read", { isActive: false });
    await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
  });

  it("returns 401 to a platform key whose expiresAt has passed", async () => {
    const key = await suite.org.platformKey("read");
    await suite.org.client(key.key).deployments.list();
    await suite.org.admin.platformApiKeys.update(key.id, { expiresAt: "2020-01-01T00:00:00Z" });
    const err = await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
    expect(err.message).toContain(UNAUTHORIZED);
  });

  it("returns 401 to a platform key that was deleted", async () => {
    const key = await suite.org.platformKey("full_access");
    await suite.org.admin.platformApiKeys.delete(key.id);
    await expectApiError(suite.org.client(key.key).deployments.list(), 401, "unauthorized");
  });

  it("returns 401 to a global API key or a deployment key: they open deployments, not the API", async () => {
    const dep = await suite.org.deployment();
    const global = await suite.org.admin.globalApiKeys.create({ name: "g-as-bearer", allowAllDeployments: true });
    const depKey = await suite.org.admin.deployments.keys.create(dep.id);
    await expectApiError(suite.org.client(global.key).deployments.list(), 401, "unauthorized");
    await expectApiError(suite.org.client(depKey.key).deployments.list(), 401, "unauthorized");
  });

  it("counts each failed authentication in the audit trail, one row per client and window, without the token", async () => {
    const counted = async () => {
      const { items } = await suite.org.admin.auditEvents.list({ limit: 100, action: "auth.failed" });
      const mine = items.filter((e) => e.actor === "client:127.0.0.1");
      for (const e of mine) expect(e).toMatchObject({ outcome: "failure", target: expect.stringMatching(/^GET \/api\/v1\/orgs\/:org\//) });
      return mine.reduce((n, e) => n + e.count, 0);
    };
    const before = await counted();
    const bogus = unknownToken("ks_pak_");
    suite.ledger.add(bogus);
    await expectApiError(suite.org.client(bogus).globalApiKeys.list(), 401, "unauthorized");
    expect(await counted()).toBe(before + 1);
  });

  it("answers 200 to the admin token from bootstrap", async () => {
    await expect(suite.org.admin.deployments.list()).resolves.toEqual({ items: expect.any(Array), nextCursor: null });
  });

  it("accepts the Bearer scheme in any case, as HTTP defines it", async () => {
    const res = await rawRequest(suite.svc.url, "GET", path(), { headers: { authorization: `bearer ${suite.org.adminToken}` } });
    expect(res.status).toBe(200);
  });
});

describe("GET /api/v1/orgs/:org/global-api-keys (org of the caller)", () => {
  it("returns 403 to an admin of another org", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const err = await expectApiError(suite.svc.client(other.adminToken, suite.org.slug).globalApiKeys.list(), 403, "forbidden");
    expect(err.message).toContain("another org");
  });

  it("returns 403 to a full_access platform key of another org", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const key = await other.platformKey("full_access");
    await expectApiError(suite.svc.client(key.key, suite.org.slug).globalApiKeys.list(), 403, "forbidden");
  });

  it("returns 403 to a valid token on an org that does not exist", async () => {
    await expectApiError(suite.svc.client(suite.org.adminToken, "no-such-org").globalApiKeys.list(), 403, "forbidden");
  });

  it("returns 401, not 403, to a missing token on an org that does not exist", async () => {
    await expectApiError(suite.svc.client(undefined, "no-such-org").globalApiKeys.list(), 401, "unauthorized");
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
