import http from "node:http";
import type { AddressInfo } from "node:net";
import { KeyserviceClient } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";

/** A tiny real server on 127.0.0.1 that answers 503 a number of times, then succeeds. */
async function flakyServer(failures: number, failStatus = 503) {
  const seen: { method: string; url: string; idempotencyKey?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, idempotencyKey: req.headers["idempotency-key"] as string | undefined });
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (seen.length <= failures) {
        res.statusCode = failStatus;
        res.setHeader("retry-after", "0");
        res.end(JSON.stringify({ error: { code: failStatus === 429 ? "rate_limited" : "unavailable", message: "Try again." } }));
        return;
      }
      res.statusCode = req.method === "POST" ? 201 : 200;
      res.end(
        req.url === "/healthz"
          ? JSON.stringify({ status: "ok" })
          : JSON.stringify({ id: "01890000-0000-7000-8000-000000000001", name: "web", isActive: true, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("KeyserviceClient retries", () => {
  it("retries a GET that fails twice with 503, and returns the third answer", async () => {
    const server = await flakyServer(2);
    try {
      const client = new KeyserviceClient({ endpoint: server.url, backoffMs: 5 });
      await expect(client.health()).resolves.toEqual({ status: "ok" });
      expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /healthz", "GET /healthz", "GET /healthz"]);
    } finally {
      await server.close();
    }
  });

  it("retries a 429 the same way", async () => {
    const server = await flakyServer(2, 429);
    try {
      await expect(new KeyserviceClient({ endpoint: server.url, backoffMs: 5 }).health()).resolves.toEqual({ status: "ok" });
      expect(server.seen).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it("gives up after maxAttempts with the last error's status and code", async () => {
    const server = await flakyServer(10);
    try {
      const err = await expectApiError(new KeyserviceClient({ endpoint: server.url, backoffMs: 5, maxAttempts: 3 }).health(), 503, "unavailable");
      expect(err.method).toBe("GET");
      expect(err.path).toBe("/healthz");
      expect(server.seen).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it("does not retry a POST without an Idempotency-Key: it may have taken effect", async () => {
    const server = await flakyServer(2);
    try {
      const client = new KeyserviceClient({ endpoint: server.url, org: "acme", token: "t", backoffMs: 5 });
      await expectApiError(client.deployments.create({ name: "web" }), 503, "unavailable");
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("retries a POST with an Idempotency-Key, sending the same key each time", async () => {
    const server = await flakyServer(2);
    try {
      const client = new KeyserviceClient({ endpoint: server.url, org: "acme", token: "t", backoffMs: 5 });
      await expect(client.http.call("createDeployment", { body: { name: "web" }, idempotencyKey: "k-1" })).resolves.toMatchObject({ name: "web" });
      expect(server.seen.map((r) => r.idempotencyKey)).toEqual(["k-1", "k-1", "k-1"]);
    } finally {
      await server.close();
    }
  });

  it("retries a connection refused, then reports the service unreachable", async () => {
    const server = await flakyServer(0);
    const url = server.url;
    await server.close();
    const err = await expectApiError(new KeyserviceClient({ endpoint: url, backoffMs: 5, maxAttempts: 2 }).health(), 0, "unavailable");
    expect(err.message).toContain("ECONNREFUSED");
  });
});
