#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { bootstrapOrg } from "./bootstrap";
import { DEFAULT_DB, resolveConfig } from "./config";
import { openStore } from "./db/connect";
import { migrateToLatest } from "./db/migrate";
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
  .option("--port <n>", "port to listen on (0 picks a free one)", port, 8080)
  .option("--host <address>", "address to listen on", "127.0.0.1")
  .option("--db <path>", "SQLite file, or :memory:", process.env.KEYSERVICE_DB ?? DEFAULT_DB)
  .action(async (opts: { port: number; host: string; db: string }) => {
    const config = resolveConfig({ port: opts.port, host: opts.host, db: opts.db });
    const service = await startService(config);
    process.stdout.write(`keyservice listening on ${service.url}\n`);
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      service.app.log.info({ signal }, "shutting down");
      service.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));
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

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`keyservice: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
