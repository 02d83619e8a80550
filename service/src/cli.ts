#!/usr/bin/env node
import fs from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { bootstrapOrg } from "./bootstrap";
import { DEFAULT_DB, resolveConfig, type ServiceConfig } from "./config";
import { loadKeyring } from "./crypto/keyring";
import type { Store } from "./db/connect";
import { migrateToLatest } from "./db/migrate";
import { isPostgresUrl } from "./db/postgres";
import { reencryptAll } from "./reencrypt";
import { openReachableStore, startService } from "./server";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${value}" is not a port (0-65535).`);
  return n;
}

const DB_HELP = "SQLite file, :memory:, or postgres://user:password@host:5432/database";

/** Runs a command against the store, closing it however the command ends. */
async function withStore<T>(config: ServiceConfig, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openReachableStore(config, () => {});
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const program = new Command()
  .name("keyservice")
  .description("API keys as code: the keyservice HTTP API and its admin commands.")
  .showHelpAfterError();

program
  .command("serve")
  .description("Serve the HTTP API (brings the schema up to date first, unless --no-migrate).")
  .option("--port <n>", "port to listen on (0 picks a free one)", port, port(process.env.KEYSERVICE_PORT ?? "8080"))
  .option("--host <address>", "address to listen on", process.env.KEYSERVICE_HOST ?? "127.0.0.1")
  .option("--db <url>", DB_HELP, process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .option("--no-migrate", "refuse to serve on an older schema instead of migrating it (run `keyservice migrate` as a separate step)")
  .action(async (opts: { port: number; host: string; db: string; migrate: boolean }) => {
    const config = resolveConfig({ port: opts.port, host: opts.host, db: opts.db, ...(opts.migrate ? {} : { migrate: false }) });
    // Handlers first: a signal that lands while starting still ends in a clean close.
    const starting = startService(config);
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      starting
        .then(async (service) => {
          service.app.log.info({ signal }, "shutting down");
          await service.close();
        })
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    };
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));
    const service = await starting;
    process.stdout.write(`keyservice listening on ${service.url}\n`);
  });

program
  .command("bootstrap")
  .description("Create an org if missing and a new org admin; prints {org, adminToken} as one JSON line.")
  .requiredOption("--org <slug>", "org slug")
  .option("--db <url>", DB_HELP, process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { org: string; db: string }) => {
    await withStore(resolveConfig({ db: opts.db }), async (store) => {
      await migrateToLatest(store);
      process.stdout.write(JSON.stringify(await bootstrapOrg(store, opts.org)) + "\n");
    });
  });

program
  .command("migrate")
  .description("Bring the database schema up to date (safe to run from several machines at once).")
  .option("--db <url>", DB_HELP, process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { db: string }) => {
    await withStore(resolveConfig({ db: opts.db }), (store) => migrateToLatest(store));
  });

program
  .command("reencrypt")
  .description(
    "Re-seal every stored secret (LLM keys, idempotent replays) with the first KEYSERVICE_ENCRYPTION_KEYS key; safe to interrupt and re-run. " +
      "Restart the servers with the new key first, then run this, then drop the old key. Prints {moved, current, undecryptable, ...} as one JSON line.",
  )
  .option("--db <url>", DB_HELP, process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { db: string }) => {
    const config = resolveConfig({ db: opts.db });
    if (!isPostgresUrl(config.db)) {
      if (config.db === ":memory:" || !fs.existsSync(config.db)) throw new Error(`There is no database at "${config.db}": pass --db with the service's SQLite file or PostgreSQL URL.`);
      // A development key made now could open nothing: only an existing one is worth re-sealing with.
      if (!config.env.KEYSERVICE_ENCRYPTION_KEYS?.trim() && config.env.NODE_ENV !== "production" && !fs.existsSync(config.devKeyFile)) {
        throw new Error(`KEYSERVICE_ENCRYPTION_KEYS is not set and there is no development key at "${config.devKeyFile}": set it to <id>:<base64 of 32 bytes>,...`);
      }
    }
    const { keyring, origin, file } = loadKeyring(config.env, config.devKeyFile, config.db);
    if (origin !== "env") process.stderr.write(`keyservice: no KEYSERVICE_ENCRYPTION_KEYS: using the development master key in ${file}\n`);
    await withStore(config, async (store) => {
      await migrateToLatest(store);
      process.stdout.write(JSON.stringify(await reencryptAll(store.db, keyring)) + "\n");
    });
  });

program.parseAsync().catch((err: unknown) => {
  // One line for the operator: never a stack trace, never a connection string.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`keyservice: ${message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(1);
});
