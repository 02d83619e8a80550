import fp from "fastify-plugin";
import { levels } from "pino";

declare module "fastify" {
  interface FastifyRequest {
    /** Who called, for the request's log line: a member, key or admin id, never a token. */
    callerId: string | null;
  }
}

/** Routes whose requests are too many to log one by one at info (they are counted in /metrics instead): a line costs about a quarter of a verification (npm run bench). */
const HOT_ROUTES = new Set(["/api/v1/orgs/:org/deployments/:name/execute", "/api/v1/orgs/:org/keys/verify", "/healthz", "/readyz", "/metrics"]);

/**
 * At debug: the hot routes, and an org's reads that succeeded (an authenticated GET is a hot path
 * too: its info line cost a quarter of its throughput, npm run bench). A platform admin's reads
 * cross orgs and stay at info, like every write and every refusal.
 */
function quiet(route: string, method: string, status: number): boolean {
  if (HOT_ROUTES.has(route)) return true;
  return (method === "GET" || method === "HEAD") && status < 400 && !route.startsWith("/api/v1/admin/");
}

/**
 * Each request's end, seen once (one hook: Fastify builds `routeOptions` anew on every read): its
 * sample in /metrics, and its log line with method, route (the pattern, never the URL with its
 * ids), status, duration and caller id. The line is at info for every write, refusal or error of
 * the management API; at debug for the hot paths and an org's successful reads, which would
 * otherwise spend more time logging than answering (both are counted in /metrics).
 */
export const requestEndPlugin = fp(
  async (app) => {
    app.decorateRequest("callerId", null);
    const threshold = levels.values[app.log.level] ?? 0;
    // A callback hook: an async one costs a promise and a microtask on every request.
    app.addHook("onResponse", (req, reply, done) => {
      const route = req.routeOptions.url ?? "(no route)";
      const ms = reply.elapsedTime;
      app.metrics.requests.record(route, req.method, reply.statusCode, ms / 1000);
      const level = quiet(route, req.method, reply.statusCode) ? "debug" : "info";
      // The line is built only when it will be written: the hot path runs with debug off.
      if (levels.values[level] >= threshold) req.log[level]({ method: req.method, route, status: reply.statusCode, ms: Math.round(ms * 10) / 10, caller: req.callerId ?? undefined }, "request");
      done();
    });
  },
  { name: "keyservice-request-end", dependencies: ["keyservice-metrics"] },
);
