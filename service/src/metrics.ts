import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { LabelCounter, RequestMetrics } from "./hot-metrics";

/** Why a request carried no valid credential (a label of keyservice_auth_failures_total). */
export type AuthFailureReason = "missing" | "malformed" | "wrong_kind" | "unknown" | "expired" | "inactive" | "org_inactive" | "not_opened";

/** What the readers of /metrics see; labels are route patterns and codes, never a token, digest or id. */
export class Metrics {
  readonly registry = new Registry();
  /** Requests by route pattern, method and status, and their durations (keyservice_http_*): counted off prom-client, read when scraped. */
  readonly requests = new RequestMetrics([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  // The hot path's counters are counted in plain maps (see hot-metrics.ts), read when scraped.
  readonly authFailures = new LabelCounter("keyservice_auth_failures_total", "Requests refused for their credential, by reason (and rate_limited once over the limit).", "reason");
  readonly executions = new LabelCounter("keyservice_execute_total", "Deployment executions, by outcome.", "outcome");
  readonly verifications = new LabelCounter("keyservice_verify_total", "Key verifications (POST keys/verify), by result code.", "code");
  readonly invalidations = new Counter({ name: "keyservice_cache_invalidations_total", help: "Writes that evicted cached credentials, and whether every instance confirmed in time.", labelNames: ["confirmed"], registers: [this.registry] });

  /** The process's own metrics (resident memory, heap by space, GC pauses, event loop delay): only where they are served, since they run timers. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  constructor() {
    this.registry.registerMetric(this.requests.counter("keyservice_http_requests_total", "Requests answered, by route pattern, method and status."));
    this.registry.registerMetric(this.requests.histogram("keyservice_http_request_duration_seconds", "Time to answer, by route pattern and method."));
    for (const counter of [this.authFailures, this.executions, this.verifications]) this.registry.registerMetric(counter.metric);
  }

  /** Gauges read at scrape time from the parts that own the numbers. */
  observe(sources: {
    cache: () => { hits: number; misses: number; evictions: number; entries: number; keyHits: number; keyMisses: number; keyEntries: number };
    trusted: () => boolean;
    pool: () => { total: number; idle: number; waiting: number } | undefined;
    limited: () => number;
  }): void {
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers: [this.registry], collect: function (this: Gauge) { this.set(read()); } });
    gauge("keyservice_cache_hits", "Credential lookups answered by the in-process cache (since start).", () => sources.cache().hits);
    gauge("keyservice_cache_misses", "Credential lookups that read the store (since start).", () => sources.cache().misses);
    gauge("keyservice_cache_evictions", "Cached entries dropped for room (since start).", () => sources.cache().evictions);
    gauge("keyservice_cache_entries", "Credentials cached now.", () => sources.cache().entries);
    gauge("keyservice_key_cache_hits", "GETs of an API key answered by the in-process cache (since start).", () => sources.cache().keyHits);
    gauge("keyservice_key_cache_misses", "GETs of an API key that read the store (since start).", () => sources.cache().keyMisses);
    gauge("keyservice_key_cache_entries", "API keys cached now for GET.", () => sources.cache().keyEntries);
    gauge("keyservice_cache_trusted", "1 while this instance may answer from its cache (its invalidation listener is live).", () => (sources.trusted() ? 1 : 0));
    gauge("keyservice_auth_limited_clients", "Clients over the failed-authentication limit remembered in memory (bounded).", sources.limited);
    gauge("keyservice_store_pool_connections", "PostgreSQL connections open (SQLite: 1).", () => sources.pool()?.total ?? 1);
    gauge("keyservice_store_pool_idle", "PostgreSQL connections idle.", () => sources.pool()?.idle ?? 0);
    gauge("keyservice_store_pool_waiting", "Queries waiting for a PostgreSQL connection.", () => sources.pool()?.waiting ?? 0);
  }

  /** Every keyservice_http_requests_total sample added up: what a test counts to prove a preview made no request. */
  requestCount(): number {
    return this.requests.total();
  }
}
