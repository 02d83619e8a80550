import type { FastifyInstance } from "fastify";
import { buildApp } from "./app";
import type { ServiceConfig } from "./config";
import { loadKeyring } from "./crypto/keyring";
import { openStore, type Store, unreachableStoreMessage } from "./db/connect";
import { prepareSchema } from "./db/migrate";

export interface RunningService {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** A start-up refusal meant for the operator as one line (no stack trace). */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** Opens the store and checks it answers, naming where it is (never the password) when it does not. */
export async function openReachableStore(config: ServiceConfig, onIdleError: (err: Error) => void): Promise<Store> {
  const store = openStore({ url: config.db, poolSize: config.dbPoolSize, onIdleError });
  try {
    await store.ping();
    return store;
  } catch (err) {
    await store.close().catch(() => {});
    throw new StartupError(unreachableStoreMessage(config.db, err));
  }
}

/** Opens and migrates the store (or checks its schema), loads the master keys, and listens. */
export async function startService(config: ServiceConfig, logStream?: NodeJS.WritableStream): Promise<RunningService> {
  // Keys first: a refusal (no master key where one is required) must leave nothing behind.
  const { keyring, origin, file } = loadKeyring(config.env, config.devKeyFile, config.db);
  let idleError: (err: Error) => void = () => {};
  const store = await openReachableStore(config, (err) => idleError(err));
  let app: FastifyInstance | undefined;
  try {
    const { newer } = await prepareSchema(store, config.migrate);
    app = await buildApp({ config, store, keyring, logStream });
    const log = app.log;
    idleError = (err) => log.warn({ err: err.message }, "an idle store connection failed (the store restarting?)");
    if (newer.length > 0) app.log.warn({ newer }, "the database has migrations this version does not know: a newer keyservice migrated it");
    if (origin === "dev-file-created") app.log.warn({ file }, "no KEYSERVICE_ENCRYPTION_KEYS: generated a development master key (do not use in production)");
    if (origin === "dev-file") app.log.info({ file }, "no KEYSERVICE_ENCRYPTION_KEYS: using the development master key");
    const address = await app.listen({ host: config.host, port: config.port });
    app.log.info({ store: store.kind, location: store.location }, "serving");
    const running = app;
    return {
      app: running,
      url: address,
      close: async () => {
        await running.close();
        await store.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await store.close().catch(() => {});
    throw err;
  }
}
