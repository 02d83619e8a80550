import http from "node:http";
import type { AddressInfo } from "node:net";
import fp from "fastify-plugin";
import { Metrics } from "../metrics";

declare module "fastify" {
  interface FastifyInstance {
    metrics: Metrics;
    /** Where /metrics is served, when KEYSERVICE_METRICS_PORT is set. */
    metricsUrl: string | undefined;
  }
}

/**
 * Prometheus metrics of every request, and of the cache, the store's pool and the invalidation
 * bus. Served on a port of its own (KEYSERVICE_METRICS_PORT), so that the API's port never
 * exposes them to the clients the API serves.
 */
export const metricsPlugin = fp(
  async (app) => {
    const metrics = new Metrics();
    app.decorate("metrics", metrics);
    app.decorate("metricsUrl", undefined);
    metrics.observe({
      cache: () => {
        const { hits, misses, evictions, credentials, keyHits, keyMisses, keys } = app.cache;
        return { hits, misses, evictions, entries: credentials.size, keyHits, keyMisses, keyEntries: keys.liveSize };
      },
      trusted: () => app.bus.trusted(),
      pool: () => app.store.poolStats(),
      limited: () => app.authFailures.remembered,
    });
    // Each request's sample is recorded by plugins/request-end.ts, with its log line.

    const port = app.config.metricsPort;
    if (port === undefined) return;
    metrics.collectProcessMetrics();
    const server = http.createServer((req, res) => {
      if (req.url !== "/metrics") return void res.writeHead(404).end();
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    app.addHook("onReady", async () => {
      await new Promise<void>((resolve) => server.listen(port, app.config.host, resolve));
      app.metricsUrl = `http://${app.config.host}:${(server.address() as AddressInfo).port}/metrics`;
      app.log.info({ url: app.metricsUrl }, "metrics");
    });
    app.addHook("onClose", async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  },
  { name: "keyservice-metrics", dependencies: ["keyservice-context"] },
);
