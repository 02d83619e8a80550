#!/usr/bin/env node
import fs from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { bootstrapOrg } from "./bootstrap";
import { DEFAULT_DB, resolveConfig } from "./config";
import { loadKeyring } from "./crypto/keyring";
import { openStore } from "./db/connect";
import { migrateToLatest } from "./db/migrate";
import { reencryptAll } from "./reencrypt";
import { startService } from "./server";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`"${value}" is not a port (0-65535).`);
  return n;
}

const program = new Command()
  .name("keyservice")
  .description("API keys as code: the keyservice HTTP API and its admin commands.")
  .showHelpAfterError();

program
  .command("serve")
  .description("Serve the HTTP API (migrates the database first).")
  .option("--port <n>", "port to listen on (0 picks a free one)", port, port(process.env.KEYSERVICE_PORT ?? "8080"))
  .option("--host <address>", "address to listen on", process.env.KEYSERVICE_HOST ?? "127.0.0.1")
  .option("--db <path>", "SQLite file, or :memory:", process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { port: number; host: string; db: string }) => {
    const config = resolveConfig({ port: opts.port, host: opts.host, db: opts.db });
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
  .option("--db <path>", "SQLite file", process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { org: string; db: string }) => {
    const store = openStore({ url: resolveConfig({ db: opts.db }).db });
    try {
      await migrateToLatest(store);
      const result = await bootstrapOrg(store, opts.org);
      process.stdout.write(JSON.stringify(result) + "\n");
    } finally {
      await store.destroy();
    }
  });

program
  .command("migrate")
  .description("Bring the database schema up to date.")
  .option("--db <path>", "SQLite file", process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { db: string }) => {
    const store = openStore({ url: resolveConfig({ db: opts.db }).db });
    try {
      await migrateToLatest(store);
    } finally {
      await store.destroy();
    }
  });

program
  .command("reencrypt")
  .description(
    "Re-seal every stored secret (LLM keys, idempotent replays) with the first KEYSERVICE_ENCRYPTION_KEYS key; safe to interrupt and re-run. " +
      "Restart the servers with the new key first, then run this, then drop the old key. Prints {moved, current, undecryptable, ...} as one JSON line.",
  )
  .option("--db <path>", "SQLite file", process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { db: string }) => {
    const config = resolveConfig({ db: opts.db });
    if (config.db === ":memory:" || !fs.existsSync(config.db)) throw new Error(`There is no database at "${config.db}": pass --db with the service's SQLite file.`);
    // A development key made now could open nothing: only an existing one is worth re-sealing with.
    if (!config.env.KEYSERVICE_ENCRYPTION_KEYS?.trim() && config.env.NODE_ENV !== "production" && !fs.existsSync(config.devKeyFile)) {
      throw new Error(`KEYSERVICE_ENCRYPTION_KEYS is not set and there is no development key at "${config.devKeyFile}": set it to <id>:<base64 of 32 bytes>,...`);
    }
    const { keyring, origin, file } = loadKeyring(config.env, config.devKeyFile);
    if (origin !== "env") process.stderr.write(`keyservice: no KEYSERVICE_ENCRYPTION_KEYS: using the development master key in ${file}\n`);
    const store = openStore({ url: config.db });
    try {
      await migrateToLatest(store);
      const summary = await reencryptAll(store, keyring);
      process.stdout.write(JSON.stringify(summary) + "\n");
    } finally {
      await store.destroy();
    }
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`keyservice: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
