import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite({ authFailureLimit: 3 });

/** Requests from a chosen loopback address: each address is its own client to the limiter. */
const from = (localAddress: string, method: string, path: string, token?: string) =>
  rawRequest(suite.svc.url, method, `/api/v1/orgs/${suite.org.slug}${path}`, { localAddress, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("failed authentications, per client address (limit 3)", () => {
  it("answers 401 three times, then 429 rate_limited with Retry-After, even to a valid token", async () => {
    const attacker = "127.0.0.2";
    for (let i = 0; i < 3; i++) {
      expect((await from(attacker, "GET", "/deployments", "ks_usr_guess")).status).toBe(401);
    }
    const limited = await from(attacker, "GET", "/deployments", "ks_usr_guess");
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error: { code: "rate_limited", message: expect.stringContaining("Too many failed authentications") } });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await from(attacker, "GET", "/deployments", suite.org.adminToken)).status).toBe(429);
  });

  it("still serves another client address", async () => {
    expect((await from("127.0.0.3", "GET", "/deployments", suite.org.adminToken)).status).toBe(200);
    expect((await from("127.0.0.3", "GET", "/deployments", "ks_usr_guess")).status).toBe(401);
  });

  it("counts refused keys on execute, and then refuses even a good key there", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.deployments.keys.create(dep.id);
    const prober = "127.0.0.4";
    expect((await from(prober, "POST", `/deployments/${dep.name}/execute`, key.key)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await from(prober, "POST", `/deployments/${dep.name}/execute`, "ks_dk_guess")).status).toBe(401);
    expect((await from(prober, "POST", `/deployments/${dep.name}/execute`, key.key)).status).toBe(429);
    expect((await from("127.0.0.5", "POST", `/deployments/${dep.name}/execute`, key.key)).status).toBe(200);
  });

  it("does not count successes", async () => {
    const client = "127.0.0.6";
    for (let i = 0; i < 6; i++) expect((await from(client, "GET", "/deployments", suite.org.adminToken)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await from(client, "GET", "/deployments", "ks_usr_guess")).status).toBe(401);
    expect((await from(client, "GET", "/deployments", suite.org.adminToken)).status).toBe(429);
  });

  it("leaves /healthz open to a limited address", async () => {
    const res = await rawRequest(suite.svc.url, "GET", "/healthz", { localAddress: "127.0.0.2" });
    expect(res.status).toBe(200);
  });

  it("records each failure in the audit trail with the client address", async () => {
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100 });
    const actors = items.filter((e) => e.action === "auth.failed").map((e) => e.actor);
    expect(actors.filter((a) => a === "client:127.0.0.2")).toHaveLength(3);
    expect(actors).toContain("client:127.0.0.4");
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
