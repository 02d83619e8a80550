import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { rawRequest } from "../helpers/http";
import { REPO_ROOT, startTestService, type TestService, tempDir } from "../helpers/service";

const BUILT = path.join(REPO_ROOT, "console", "dist");

function expectConsoleHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers["content-security-policy"]);
  for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) {
    expect(csp).toContain(directive);
  }
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|data:|\*/);
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-content-type-options"]).toBe("nosniff");
}

describe("GET /console/ (the web console's static files)", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  it("redirects /console to /console/", async () => {
    const res = await rawRequest(svc.url, "GET", "/console");
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("/console/");
    expectConsoleHeaders(res.headers);
  });

  it("serves index.html with a strict CSP, X-Frame-Options DENY and Referrer-Policy no-referrer", async () => {
    const res = await rawRequest(svc.url, "GET", "/console/", { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expectConsoleHeaders(res.headers);
  });

  it("inlines no script, no style and no data: asset in the built index.html", () => {
    const html = fs.readFileSync(path.join(BUILT, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\ssrc="\/console\/assets\/[^"]+\.js"/);
    expect(html).not.toMatch(/<script\b[^>]*>\s*[^<\s]/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|data:/i);
  });

  it("serves every built asset with the same headers, cached by content hash", async () => {
    const assets = fs.readdirSync(path.join(BUILT, "assets"));
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    for (const asset of assets) {
      const res = await rawRequest(svc.url, "GET", `/console/assets/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers["cache-control"]).toContain("immutable");
      expectConsoleHeaders(res.headers);
      expect(res.text).not.toMatch(/sourceMappingURL=data:/);
    }
  });

  it("keeps the console's script under 130 KB gzipped (the README says its size)", () => {
    const scripts = fs.readdirSync(path.join(BUILT, "assets")).filter((a) => a.endsWith(".js"));
    const gzipped = scripts.reduce((sum, a) => sum + gzipSync(fs.readFileSync(path.join(BUILT, "assets", a))).length, 0);
    expect(gzipped).toBeLessThan(130 * 1024);
  });

  it("answers 404 for files that are not there, and never serves files outside the build", async () => {
    expect((await rawRequest(svc.url, "GET", "/console/missing.js")).status).toBe(404);
    expect((await rawRequest(svc.url, "GET", "/console/..%2f..%2fpackage.json")).status).toBe(404);
    expect((await rawRequest(svc.url, "GET", "/console/%2e%2e/%2e%2e/package.json")).status).toBe(404);
  });

  it("leaves the API's answers without the console's headers", async () => {
    const res = await rawRequest(svc.url, "GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.headers["content-security-policy"]).toBeUndefined();
  });
});

describe("GET /console/ before the console is built", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ env: { KEYSERVICE_CONSOLE_DIR: tempDir("keyservice-no-console-") } });
  });
  afterAll(() => svc.close());

  it("answers 503 saying to run npm run build, and the API still works", async () => {
    for (const url of ["/console/", "/console/assets/index.js"]) {
      const res = await rawRequest(svc.url, "GET", url);
      expect(res.status).toBe(503);
      expect(res.text).toContain("npm run build");
      expectConsoleHeaders(res.headers);
    }
    expect((await rawRequest(svc.url, "GET", "/healthz")).status).toBe(200);
    expect(svc.logs()).toContain("the web console is not built");
  });
});
