import { resolveConfig } from "@keyservice/service";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { startTestService, type TestService } from "../helpers/service";
import { serviceSuite } from "../helpers/suite";

// A day-long window: a test's few requests never straddle two windows (a new one starts every count at 0).
const DAY_WINDOW = { KEYSERVICE_AUTH_FAILURE_WINDOW_MS: String(24 * 3600 * 1000) };
const suite = serviceSuite({ authFailureLimit: 3, env: DAY_WINDOW });

/** Requests from a chosen loopback address: each address is its own client to the limiter. */
const from = (localAddress: string, method: string, path: string, token?: string, headers: Record<string, string> = {}) =>
  rawRequest(suite.svc.url, method, `/api/v1/orgs/${suite.org.slug}${path}`, {
    localAddress,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });

/** The failed authentications the org's audit trail counts for a client, and the rows that hold them. */
async function auditedFailures(actor: string): Promise<{ rows: number; count: number }> {
  const { items } = await suite.org.admin.auditEvents.list({ limit: 100, action: "auth.failed" });
  const mine = items.filter((e) => e.actor === actor);
  return { rows: mine.length, count: mine.reduce((n, e) => n + e.count, 0) };
}

describe("failed authentications, per client address (limit 3)", () => {
  it("answers 401 three times, then 429 rate_limited with Retry-After", async () => {
    const attacker = "127.0.0.2";
    for (let i = 0; i < 3; i++) expect((await from(attacker, "GET", "/deployments", "ks_usr_guess")).status).toBe(401);
    const limited = await from(attacker, "GET", "/deployments", "ks_usr_guess");
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: { code: "rate_limited", message: expect.stringContaining("Too many failed authentications") } });
    // Until the client's window ends.
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(24 * 3600);
  });

  it("never refuses a valid credential because of its address: the limited address still gets 200 with the admin token", async () => {
    const shared = "127.0.0.7";
    for (let i = 0; i < 4; i++) await from(shared, "GET", "/deployments", "ks_usr_guess");
    expect((await from(shared, "GET", "/deployments", "ks_usr_guess")).status).toBe(429);
    expect((await from(shared, "GET", "/deployments", suite.org.adminToken)).status).toBe(200);
  });

  it("still serves another client address", async () => {
    expect((await from("127.0.0.3", "GET", "/deployments", suite.org.adminToken)).status).toBe(200);
    expect((await from("127.0.0.3", "GET", "/deployments", "ks_usr_guess")).status).toBe(401);
  });

  it("counts refused keys on execute, while a good key keeps opening the deployment from the same address", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    const prober = "127.0.0.4";
    for (let i = 0; i < 3; i++) expect((await from(prober, "POST", `/deployments/${dep.name}/execute`, "ks_dk_guess")).status).toBe(401);
    expect((await from(prober, "POST", `/deployments/${dep.name}/execute`, "ks_dk_guess")).status).toBe(429);
    expect((await from(prober, "POST", `/deployments/${dep.name}/execute`, key.key)).status).toBe(200);
  });

  it("counts unknown orgs and deployments on execute as failures, without a credential", async () => {
    const prober = "127.0.0.8";
    for (let i = 0; i < 3; i++) expect((await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/guess-${i}/deployments/x/execute`, { localAddress: prober })).status).toBe(401);
    expect((await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/guess-9/deployments/x/execute`, { localAddress: prober })).status).toBe(429);
  });

  it("does not count successes", async () => {
    const client = "127.0.0.6";
    for (let i = 0; i < 6; i++) expect((await from(client, "GET", "/deployments", suite.org.adminToken)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await from(client, "GET", "/deployments", "ks_usr_guess")).status).toBe(401);
    expect((await from(client, "GET", "/deployments", "ks_usr_guess")).status).toBe(429);
  });

  it("leaves /healthz open to a limited address", async () => {
    const res = await rawRequest(suite.svc.url, "GET", "/healthz", { localAddress: "127.0.0.2" });
    expect(res.status).toBe(200);
  });

  it("records a client's failures in the org's audit trail as one row with a count, not a row per request", async () => {
    // 127.0.0.2 failed 3 times before the limit; a limited request is not an authentication attempt.
    expect(await auditedFailures("client:127.0.0.2")).toEqual({ rows: 1, count: 3 });
  });
});

describe("KEYSERVICE_TRUST_PROXY", () => {
  it("refuses true, which would let any client choose its own address", () => {
    expect(() => resolveConfig({ env: { KEYSERVICE_TRUST_PROXY: "true" } })).toThrow(/hop count|addresses/);
  });

  it("refuses an entry that is not an address or CIDR, naming it", () => {
    expect(() => resolveConfig({ env: { KEYSERVICE_TRUST_PROXY: "10.0.0.0/8,proxy.example" } })).toThrow(/"proxy\.example"/);
  });

  it("takes a hop count or a list of addresses and CIDRs", () => {
    expect(resolveConfig({ env: { KEYSERVICE_TRUST_PROXY: "1" } }).trustProxy).toBe(1);
    expect(resolveConfig({ env: { KEYSERVICE_TRUST_PROXY: "10.0.0.0/8, 192.168.1.10" } }).trustProxy).toEqual(["10.0.0.0/8", "192.168.1.10"]);
    expect(resolveConfig({ env: {} }).trustProxy).toBe(false);
  });
});

describe("behind a trusted proxy (KEYSERVICE_TRUST_PROXY=127.0.0.1, limit 3)", () => {
  let svc: TestService;
  let org: { slug: string; adminToken: string };
  beforeAll(async () => {
    svc = await startTestService({ authFailureLimit: 3, env: { KEYSERVICE_TRUST_PROXY: "127.0.0.1", ...DAY_WINDOW } });
    const boot = await svc.bootstrap("proxied");
    suite.ledger.add(boot.adminToken);
    org = { slug: boot.org, adminToken: boot.adminToken };
  });
  afterAll(() => svc?.close());

  const via = (peer: string, forwardedFor: string, token = "ks_usr_guess") =>
    rawRequest(svc.url, "GET", `/api/v1/orgs/${org.slug}/deployments`, { localAddress: peer, headers: { "x-forwarded-for": forwardedFor, authorization: `Bearer ${token}` } });

  it("counts the client the proxy names", async () => {
    for (let i = 0; i < 3; i++) expect((await via("127.0.0.1", "203.0.113.7")).status).toBe(401);
    expect((await via("127.0.0.1", "203.0.113.7")).status).toBe(429);
    expect((await via("127.0.0.1", "203.0.113.8")).status).toBe(401);
  });

  it("ignores X-Forwarded-For from a peer that is not a configured proxy: forged failures cannot lock out the named victim", async () => {
    for (let i = 0; i < 5; i++) await via("127.0.0.2", "203.0.113.50");
    expect((await via("127.0.0.1", "203.0.113.50")).status).toBe(401);
  });

  it("cannot evade the limit by naming new addresses from an unconfigured peer", async () => {
    for (let i = 0; i < 3; i++) expect((await via("127.0.0.3", `198.51.100.${i}`)).status).toBe(401);
    expect((await via("127.0.0.3", "198.51.100.99")).status).toBe(429);
  });

  it("counts IPv6 clients by their /64", async () => {
    for (let i = 1; i <= 3; i++) expect((await via("127.0.0.1", `2001:db8:1:2::${i}`)).status).toBe(401);
    expect((await via("127.0.0.1", "2001:db8:1:2:ffff:ffff:ffff:ffff")).status).toBe(429);
    expect((await via("127.0.0.1", "2001:db8:1:3::1")).status).toBe(401);
  });

  it("records a forwarded value that is not an address as client:unknown, never as sent", async () => {
    expect((await via("127.0.0.1", "<script>alert(1)</script>")).status).toBe(401);
    const client = svc.client(org.adminToken, org.slug);
    const { items } = await client.auditEvents.list({ limit: 100, action: "auth.failed" });
    expect(items.map((e) => e.actor)).toContain("client:unknown");
    expect(items.some((e) => e.actor.includes("<"))).toBe(false);
    expect(items.find((e) => e.actor === "client:2001:db8:1:2::/64")).toMatchObject({ count: 3 });
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});

describe("the limiter's memory", () => {
  it("stays within KEYSERVICE_AUTH_FAILURE_MEMORY however many clients go over the limit, and still limits each", async () => {
    const svc = await startTestService({
      authFailureLimit: 1,
      env: { KEYSERVICE_TRUST_PROXY: "127.0.0.1", KEYSERVICE_AUTH_FAILURE_MEMORY: "50", KEYSERVICE_METRICS_PORT: "0", ...DAY_WINDOW },
    });
    try {
      const boot = await svc.bootstrap("memory");
      suite.ledger.add(boot.adminToken);
      const fail = (client: string) =>
        rawRequest(svc.url, "GET", "/api/v1/orgs/memory/deployments", { headers: { "x-forwarded-for": client, authorization: "Bearer ks_usr_guess" } });
      for (let i = 0; i < 300; i++) {
        const client = `198.18.${Math.floor(i / 250)}.${i % 250}`;
        expect((await fail(client)).status).toBe(401);
        expect((await fail(client)).status).toBe(429);
      }
      const metrics = await rawRequest(svc.app.metricsUrl!, "GET", "/metrics");
      expect(Number(/^keyservice_auth_limited_clients (\d+)$/m.exec(metrics.text)?.[1])).toBeLessThanOrEqual(50);
      // A client forgotten by the memory is still over the limit: the count lives in the store.
      expect((await fail("198.18.0.0")).status).toBe(429);
    } finally {
      await svc.close();
    }
  });
});
