import type { Kysely } from "kysely";
import fp from "fastify-plugin";
import { WindowLimiter } from "../auth/window-limiter";
import { CredentialResolver } from "../auth/credential-resolver";
import { UsageRecorder } from "../auth/usage-recorder";
import { AuthCache } from "../cache/auth-cache";
import { type InvalidationBus, LocalBus } from "../cache/bus";
import type { PostgresBus } from "../cache/postgres-bus";
import type { ServiceConfig } from "../config";
import type { Keyring } from "../crypto/keyring";
import type { Store } from "../db/connect";
import type { Database } from "../db/database";
import { Writer } from "../db/writer";
import { ApiKeyReader } from "../domain/api-key-reader";
import { purgeIdempotencyRecords } from "../domain/idempotency";

declare module "fastify" {
  interface FastifyInstance {
    config: ServiceConfig;
    store: Store;
    /** The store's query builder, for reads; writes go through `writer`. */
    db: Kysely<Database>;
    writer: Writer;
    keyring: Keyring;
    cache: AuthCache;
    bus: InvalidationBus;
    resolver: CredentialResolver;
    /** GET of a global or platform key, from memory once read. */
    apiKeys: ApiKeyReader;
    /** Failed authentications per client address (or IPv6 /64). */
    authFailures: WindowLimiter;
    /** LLM-key verifications per caller: a guessing oracle, so it is metered. */
    llmVerifications: WindowLimiter;
    usage: UsageRecorder;
  }
}

export interface ContextOptions {
  store: Store;
  keyring: Keyring;
  config: ServiceConfig;
}

/** The app's services, as decorators every later plugin and route can rely on; started when the app is ready. */
export const contextPlugin = fp<ContextOptions>(
  async (app, { store, keyring, config }) => {
    const cache = new AuthCache({
      maxCredentials: config.cacheSize,
      maxUnknown: Math.min(config.cacheSize, 50_000),
      unknownTtlMs: 60_000,
      maxKeys: Math.min(config.cacheSize, 10_000),
      keysTtlMs: config.usageFlushMs,
    });
    // pg is loaded only on PostgreSQL (see db/connect.ts).
    const bus: InvalidationBus =
      store.kind === "postgres" ? new (require("../cache/postgres-bus") as { PostgresBus: typeof PostgresBus }).PostgresBus(store.url, store.db, cache, app.log) : new LocalBus(cache);
    app.decorate("config", config);
    app.decorate("store", store);
    app.decorate("db", store.db);
    app.decorate("keyring", keyring);
    app.decorate("cache", cache);
    app.decorate("bus", bus);
    app.decorate("writer", new Writer(store.db, bus, (confirmed) => app.metrics?.invalidations.inc({ confirmed: String(confirmed) })));
    app.decorate("resolver", new CredentialResolver(store.db, cache, bus));
    app.decorate("apiKeys", new ApiKeyReader(store.db, cache, bus));
    app.decorate("authFailures", new WindowLimiter(store.db, "auth", config.authFailureLimit, config.authFailureWindowMs, config.authFailureMemory));
    app.decorate("llmVerifications", new WindowLimiter(store.db, "llm-verify", config.llmVerifyLimit, config.llmVerifyWindowMs));
    const usageFailed = (err: unknown) => app.log.warn({ err }, "recording lastUsedAt failed; will retry");
    app.decorate("usage", new UsageRecorder(store.db, { oneTransaction: store.kind === "sqlite" }, config.usageFlushMs, usageFailed, (uses) => cache.forgetKeys(uses)));

    // Housekeeping every few minutes: expired replay records and old failure windows.
    const housekeeping = async () => {
      await purgeIdempotencyRecords(store.db);
      await app.authFailures.purge();
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook("onReady", async () => {
      await bus.start();
      app.usage.start();
      await housekeeping();
      timer = setInterval(() => housekeeping().catch((err) => app.log.warn({ err }, "housekeeping failed")), 5 * 60 * 1000);
      timer.unref();
    });
    app.addHook("onClose", async () => {
      clearInterval(timer);
      await app.usage.stop().catch(() => {});
      await bus.stop();
    });
  },
  { name: "keyservice-context" },
);
