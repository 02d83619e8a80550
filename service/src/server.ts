import type { FastifyInstance } from "fastify";
import { buildApp } from "./app";
import type { ServiceConfig } from "./config";
import { loadKeyring } from "./crypto/keyring";
import { openStore } from "./db/connect";
import { migrateToLatest } from "./db/migrate";
import { purgeIdempotencyRecords } from "./plugins/idempotency";

export interface RunningService {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Opens and migrates the store, loads the master keys, and listens. */
export async function startService(config: ServiceConfig, logStream?: NodeJS.WritableStream): Promise<RunningService> {
  // Keys first: a refusal (production without a master key) must leave nothing behind.
  const { keyring, origin, file } = loadKeyring(config.env, config.devKeyFile);
  const store = openStore({ url: config.db });
  await migrateToLatest(store);
  const app = await buildApp({ config, store, keyring, logStream });
  if (origin === "dev-file-created") app.log.warn({ file }, "no KEYSERVICE_ENCRYPTION_KEYS: generated a development master key (do not use in production)");
  if (origin === "dev-file") app.log.info({ file }, "no KEYSERVICE_ENCRYPTION_KEYS: using the development master key");
  const purge = setInterval(() => purgeIdempotencyRecords(app).catch((err) => app.log.error({ err }, "idempotency purge failed")), 10 * 60 * 1000);
  purge.unref();
  app.addHook("onClose", async () => {
    clearInterval(purge);
    await store.destroy();
  });
  await purgeIdempotencyRecords(app);
  const address = await app.listen({ host: config.host, port: config.port });
  return { app, url: address, close: () => app.close() };
}
