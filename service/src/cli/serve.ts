import type { Command } from "commander";
import { DEFAULT_DB, resolveConfig } from "../config";
import { startService } from "../server";
import { DB_HELP, port } from "./shared";

export function serveCommand(program: Command): void {
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
}
