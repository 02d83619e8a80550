import net from "node:net";
import { ErrorBody } from "@keyservice/sdk";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

const asAdmin = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  rawRequest(suite.svc.url, method, `/api/v1/orgs/${suite.org.slug}${path}`, { headers: { authorization: `Bearer ${suite.org.adminToken}`, ...headers }, body });

/** Checks the one error shape, exactly: no other fields anywhere. */
function expectErrorBody(json: unknown, code: string): ErrorBody {
  const body = ErrorBody.parse(json);
  expect(Object.keys(json as object)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/^[A-Z].*\.$/);
  return body;
}

describe("the error shape {error: {code, message, details?}}", () => {
  it("answers an unknown route with 404 not_found naming it", async () => {
    const res = await rawRequest(suite.svc.url, "GET", "/api/v1/nothing-here?x=1");
    expect(res.status).toBe(404);
    expect(expectErrorBody(res.json, "not_found").error.message).toContain("GET /api/v1/nothing-here");
  });

  it("answers a body that is not JSON with 400 bad_request", async () => {
    const res = await asAdmin("POST", "/deployments", "{not json", { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, "bad_request");
  });

  it("answers a body that is not application/json with 400 bad_request, never 415 or 500", async () => {
    const res = await asAdmin("POST", "/deployments", "name=web", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(400);
    expectErrorBody(res.json, "bad_request");
  });

  it.each([20_000, 200_000])("answers a request line of %i bytes (over 16 KB; the longer arrives in pieces) with 431 headers_too_large, once, before closing", async (length) => {
    const { hostname, port } = new URL(suite.svc.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname);
      let text = "";
      socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      socket.on("close", () => resolve(text));
      // The server may close before it has read everything: what it answered is what counts.
      socket.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" || err.code === "EPIPE" ? undefined : reject(err)));
      socket.write(`GET /api/v1/orgs/${suite.org.slug}/deployments?q=${"x".repeat(length)} HTTP/1.1\r\nhost: ${hostname}\r\n\r\n`);
    });
    expect(raw.match(/^HTTP\/1\.1 /gm)).toHaveLength(1);
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expectErrorBody(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)), "headers_too_large");
  });

  it("closes a connection it refused as not HTTP even when the client never closes its side", async () => {
    const { hostname, port } = new URL(suite.svc.url);
    const raw = await new Promise<string>((resolve) => {
      // The client never ends its side: the connection goes away only if the server closes it.
      const socket = net.connect({ port: Number(port), host: hostname, allowHalfOpen: true });
      let text = "";
      let poke: NodeJS.Timeout | undefined;
      socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      // Its side closed, the server answers a later write with a reset: that is how the client sees it gone.
      socket.on("end", () => (poke = setInterval(() => socket.write("."), 250)));
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(poke);
        resolve(text);
      });
      socket.write("NOT HTTP AT ALL\r\n\r\n");
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expectErrorBody(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)), "bad_request");
  });

  it("answers a body over 1 MiB with 413 payload_too_large", async () => {
    const res = await asAdmin("POST", "/deployments", { name: "x".repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expectErrorBody(res.json, "payload_too_large");
  });

  it("answers a JSON null body with 422 naming the root, not a field", async () => {
    const res = await asAdmin("POST", "/deployments", "null");
    expect(res.status).toBe(422);
    expect(expectErrorBody(res.json, "validation_failed").error.details).toEqual([{ path: "(root)", message: expect.stringContaining("object") }]);
  });

  it("answers a JSON array body with 422 naming the root", async () => {
    const res = await asAdmin("POST", "/deployments", [1, 2]);
    expect(res.status).toBe(422);
    expect(expectErrorBody(res.json, "validation_failed").error.details).toEqual([{ path: "(root)", message: expect.any(String) }]);
  });

  it("answers 422 with one detail per bad field, each a path and a message, and names them in the message", async () => {
    const res = await asAdmin("POST", "/global-api-keys", { name: "", description: 7, allowAllDeployments: "yes", expiresAt: "soon", colour: "red" });
    expect(res.status).toBe(422);
    const body = expectErrorBody(res.json, "validation_failed");
    const paths = body.error.details!.map((d) => d.path).sort();
    expect(paths).toEqual(["allowAllDeployments", "colour", "description", "expiresAt", "name"]);
    for (const d of body.error.details!) expect(d.message.length).toBeGreaterThan(0);
    for (const p of paths) expect(body.error.message).toContain(p);
  });

  it("accepts a DELETE that carries a JSON content type but no body", async () => {
    const dep = await suite.org.admin.deployments.create({ name: "deleted-with-header" });
    const res = await asAdmin("DELETE", `/deployments/${dep.id}`, undefined, { "content-type": "application/json" });
    expect(res.status).toBe(204);
    expect((await asAdmin("GET", `/deployments/${dep.id}`)).status).toBe(404);
  });

  it("answers a create with a JSON content type but no body with 422 naming the missing fields", async () => {
    const res = await asAdmin("POST", "/deployments", undefined, { "content-type": "application/json" });
    expect(res.status).toBe(422);
    expect(expectErrorBody(res.json, "validation_failed").error.details!.map((d) => d.path)).toEqual(["name"]);
  });

  it("answers a query that is not valid with 422 naming query.<field>", async () => {
    const res = await asAdmin("GET", "/deployments?limit=ten");
    expect(res.status).toBe(422);
    expect(expectErrorBody(res.json, "validation_failed").error.details!.map((d) => d.path)).toEqual(["query.limit"]);
  });

  // Found by the fuzz suite: PostgreSQL refuses U+0000 in text, so a NUL anywhere in a request was a 500 there.
  it("refuses text holding U+0000 in a body, a query or a path parameter with 422 naming the field, on either store", async () => {
    const body = await asAdmin("POST", "/deployments", { name: "web\u0000" });
    expect(body.status).toBe(422);
    expect(expectErrorBody(body.json, "validation_failed").error.details).toEqual([{ path: "name", message: "must not contain the NUL character (U+0000)" }]);
    const query = await asAdmin("GET", "/audit-events?action=%00");
    expect(query.status).toBe(422);
    expect(expectErrorBody(query.json, "validation_failed").error.details?.map((d) => d.path)).toEqual(["query.action"]);
    const param = await asAdmin("GET", "/deployments/a%00b");
    expect(param.status).toBe(422);
    expect(expectErrorBody(param.json, "validation_failed").error.details?.map((d) => d.path)).toEqual(["params.id"]);
    const nested = await asAdmin("POST", "/global-api-keys", { name: "n", deploymentIds: ["x\u0000"] });
    expect(nested.status).toBe(422);
    expect(expectErrorBody(nested.json, "validation_failed").error.details?.map((d) => d.path)).toEqual(["deploymentIds.0"]);
  });

  it("answers 401, 403, 404 and 409 in the same shape", async () => {
    const unauthorized = await rawRequest(suite.svc.url, "GET", `/api/v1/orgs/${suite.org.slug}/deployments`);
    expect(unauthorized.status).toBe(401);
    expectErrorBody(unauthorized.json, "unauthorized");
    const member = await suite.org.memberToken();
    const forbidden = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/deployments`, { headers: { authorization: `Bearer ${member}` }, body: { name: "m" } });
    expect(forbidden.status).toBe(403);
    expectErrorBody(forbidden.json, "forbidden");
    const notFound = await asAdmin("GET", "/deployments/01890000-0000-7000-8000-000000000000");
    expect(notFound.status).toBe(404);
    expectErrorBody(notFound.json, "not_found");
    await asAdmin("POST", "/deployments", { name: "twice" });
    const conflict = await asAdmin("POST", "/deployments", { name: "twice" });
    expect(conflict.status).toBe(409);
    expectErrorBody(conflict.json, "conflict");
  });

  it("answers 500 internal in the same shape when a route fails with something that is not an Error, never the route's own 201", async () => {
    const { writer } = suite.svc.app;
    const run = writer.run;
    writer.run = () => Promise.reject(undefined);
    try {
      const res = await asAdmin("POST", "/deployments", { name: "fails-without-an-error" });
      expect(res.status).toBe(500);
      expectErrorBody(res.json, "internal");
    } finally {
      writer.run = run;
    }
  });

  it("fails closed when authentication fails with something that is not an Error: 500, and the route never runs", async () => {
    const failures = suite.svc.app.authFailures;
    const hit = failures.hit;
    // A refusal counts the failure first: make that fail with no error at all.
    failures.hit = () => Promise.reject(undefined);
    try {
      for (const path of ["/api/v1/admin/orgs", `/api/v1/orgs/${suite.org.slug}/deployments`]) {
        const res = await rawRequest(suite.svc.url, "GET", path, { headers: { authorization: "Bearer ks_usr_not-a-token" } });
        expect({ path, status: res.status }).toEqual({ path, status: 500 });
        expectErrorBody(res.json, "internal");
      }
    } finally {
      failures.hit = hit;
    }
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
