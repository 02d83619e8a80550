import { createHash, randomBytes } from "node:crypto";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, uniqueName } from "../helpers/org";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { serviceSuite } from "../helpers/suite";
import { pollUntil } from "../helpers/wait";

const suite = serviceSuite({ authFailureLimit: 100_000, env: { KEYSERVICE_METRICS_PORT: "0" } });

/** The value of one sample in Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line ? Number(line.split(" ").pop()) : 0;
}

async function scrape(svc: TestService = suite.svc): Promise<string> {
  const url = svc.app.metricsUrl;
  if (!url) throw new Error("KEYSERVICE_METRICS_PORT was set, yet no metrics URL.");
  const res = await rawRequest(url, "GET", "/metrics");
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** A token of the right shape (prefix, length, checksum) that matches nothing. */
function unknownButWellFormed(): string {
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return "ks_gak_" + [...randomBytes(43)].map((b) => ALPHABET[b % 62]).join("");
}

describe("GET /metrics on KEYSERVICE_METRICS_PORT", () => {
  it("counts requests by route pattern, method and status, with latency histograms", async () => {
    await suite.org.admin.deployments.list();
    const text = await scrape();
    expect(sample(text, "keyservice_http_requests_total", 'route="/api/v1/orgs/:org/deployments",method="GET",status="200"')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/keyservice_http_request_duration_seconds_bucket\{le="0\.005",route="\/api\/v1\/orgs\/:org\/deployments",method="GET"\} \d+/);
    expect(text).toMatch(/^keyservice_store_pool_connections \d+$/m);
  });

  it("counts every answer once, by status, and each histogram's buckets add up to its count", async () => {
    const dep = await suite.org.deployment();
    const route = 'route="/api/v1/orgs/:org/deployments/:id",method="GET"';
    const before = await scrape();
    for (let i = 0; i < 7; i++) await suite.org.admin.deployments.get(dep.id);
    for (let i = 0; i < 3; i++) expect((await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.id}`, { headers: { authorization: `Bearer ${suite.org.adminToken}x` } })).status).toBe(401);
    const after = await scrape();
    const delta = (name: string, labels: string) => sample(after, name, labels) - sample(before, name, labels);
    expect([delta("keyservice_http_requests_total", `${route},status="200"`), delta("keyservice_http_requests_total", `${route},status="401"`)]).toEqual([7, 3]);
    expect(delta("keyservice_http_request_duration_seconds_count", route)).toBe(10);
    expect(delta("keyservice_http_request_duration_seconds_bucket", `le="+Inf",${route}`)).toBe(10);
    const buckets = [...after.matchAll(/^keyservice_http_request_duration_seconds_bucket\{le="([^"]+)",route="\/api\/v1\/orgs\/:org\/deployments\/:id",method="GET"\} (\d+)$/gm)].map((m) => Number(m[2]));
    expect(buckets).toHaveLength(13);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(sample(after, "keyservice_http_request_duration_seconds_sum", route)).toBeGreaterThan(0);
    expect(after).toMatch(/^# TYPE keyservice_http_request_duration_seconds histogram$/m);
    expect(after).toMatch(/^# TYPE keyservice_http_requests_total counter$/m);
  });

  it("is not served on the API's port", async () => {
    expect((await rawRequest(suite.svc.url, "GET", "/metrics")).status).toBe(404);
  });

  it("answers repeated executions from the cache: one store read for 20 uses of a key", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const before = await scrape();
    for (let i = 0; i < 20; i++) expect((await suite.org.client().deployments.execute(dep.name, key.key)).keyId).toBe(key.id);
    const after = await scrape();
    expect(sample(after, "keyservice_cache_misses") - sample(before, "keyservice_cache_misses")).toBe(1);
    expect(sample(after, "keyservice_cache_hits") - sample(before, "keyservice_cache_hits")).toBe(19);
    expect(sample(after, "keyservice_execute_total", 'outcome="ok"') - sample(before, "keyservice_execute_total", 'outcome="ok"')).toBe(20);
  });

  it("counts GETs of a key answered from memory, and the keys cached for them", async () => {
    const key = await suite.org.admin.platformApiKeys.create({ name: uniqueName("p"), permission: "read" });
    suite.ledger.add(key.key);
    const before = await scrape();
    for (let i = 0; i < 10; i++) await suite.org.admin.platformApiKeys.get(key.id);
    const after = await scrape();
    const delta = (name: string) => sample(after, name) - sample(before, name);
    expect([delta("keyservice_key_cache_misses"), delta("keyservice_key_cache_hits"), delta("keyservice_key_cache_entries")]).toEqual([1, 9, 1]);
  });

  it("costs no store read for a flood of malformed tokens, and one per unknown well-formed token however often it is sent", async () => {
    const dep = await suite.org.deployment();
    const before = await scrape();
    for (let i = 0; i < 30; i++) {
      const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.name}/execute`, { headers: { authorization: `Bearer ks_gak_${randomBytes(20).toString("hex")}` } });
      expect(res.status).toBe(401);
    }
    const unknown = unknownButWellFormed();
    for (let i = 0; i < 30; i++) {
      const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments/${dep.name}/execute`, { headers: { authorization: `Bearer ${unknown}` } });
      expect(res.status).toBe(401);
    }
    const after = await scrape();
    const reads = sample(after, "keyservice_cache_misses") - sample(before, "keyservice_cache_misses");
    expect(reads).toBeLessThanOrEqual(1);
    expect(sample(after, "keyservice_auth_failures_total", 'reason="malformed"') - sample(before, "keyservice_auth_failures_total", 'reason="malformed"')).toBe(30);
    expect(sample(after, "keyservice_auth_failures_total", 'reason="unknown"') - sample(before, "keyservice_auth_failures_total", 'reason="unknown"')).toBe(30);
  });

  it("counts verify results by code", async () => {
    const key = await suite.org.platformKey("read");
    await suite.org.admin.keys.verify(key.key);
    expect(sample(await scrape(), "keyservice_verify_total", 'code="VALID"')).toBeGreaterThanOrEqual(1);
  });

  it("never shows a token or a token digest", async () => {
    const text = await scrape();
    expect(text).not.toMatch(/ks_(usr|gak|pak|dk|adm|imp)_/);
    for (const secret of suite.ledger.all()) expect(text).not.toContain(createHash("sha256").update(secret).digest("hex"));
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});

describe("keyservice_key_cache_entries", () => {
  it("counts only the keys' reads still live: one past its TTL (the usage flush interval) is not counted", async () => {
    const svc = await startTestService({ env: { KEYSERVICE_METRICS_PORT: "0", KEYSERVICE_USAGE_FLUSH_MS: "300" } });
    try {
      const org = await newOrg(svc, new SecretLedger());
      const key = await org.admin.platformApiKeys.create({ name: uniqueName("p"), permission: "read" });
      org.ledger.add(key.key);
      await org.admin.platformApiKeys.get(key.id);
      expect(svc.app.cache.keys.size).toBe(1);
      // Nothing touches the entry again: it expires in place, still held by the LRU, and the gauge must not count it.
      await pollUntil(async () => sample(await scrape(svc), "keyservice_key_cache_entries"), (n) => n === 0, { what: "the expired read to leave the gauge" });
      expect(svc.app.cache.keys.size).toBe(1);
    } finally {
      await svc.close();
    }
  });
});
