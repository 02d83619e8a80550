import fs from "node:fs";
import type { Command } from "commander";
import { bootstrapOrg, bootstrapPlatformAdmin } from "../bootstrap";
import { DEFAULT_DB, resolveConfig } from "../config";
import { loadKeyring } from "../crypto/keyring";
import { migrateToLatest } from "../db/migrate";
import { isPostgresUrl } from "../db/urls";
import { reencryptAll } from "../reencrypt";
import { DB_HELP, print, withStore } from "./shared";

/** The commands run on the database host against the store itself: bootstrap, migrate, reencrypt. */
export function storeCommands(program: Command): void {
  program
    .command("bootstrap")
    .description("Create an org if missing and a new org admin (prints {org, adminToken}), or with --platform-admin a platform admin (prints {platformAdminToken}); one JSON line.")
    .option("--org <slug>", "org slug")
    .option("--platform-admin", "create a platform admin, who operates the service across orgs")
    .option("--name <name>", "the new admin's name")
    .option("--db <url>", DB_HELP, process.env.KEYSERVICE_DB ?? DEFAULT_DB)
    .action(async (opts: { org?: string; platformAdmin?: boolean; name?: string; db: string }) => {
      if (!opts.org === !opts.platformAdmin) throw new Error("Pass either --org <slug> (an org and its admin) or --platform-admin.");
      await withStore(resolveConfig({ db: opts.db }), async (store) => {
        await migrateToLatest(store);
        print(opts.platformAdmin ? await bootstrapPlatformAdmin(store, opts.name) : await bootstrapOrg(store, opts.org!, opts.name));
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
        print(await reencryptAll(store.db, keyring));
      });
    });
}
