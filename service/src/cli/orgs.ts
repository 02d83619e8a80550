import { Option, type Command } from "commander";
import { apiClient, print } from "./shared";

/** `keyservice orgs …`: a platform admin's commands against a running service (KEYSERVICE_TOKEN = a ks_adm_ token). */
export function orgsCommand(program: Command): void {
  const orgs = program.command("orgs").description("Manage orgs through a running service (KEYSERVICE_TOKEN: a platform admin token).");
  const endpoint = () => new Option("--endpoint <url>", "the service's URL (default: KEYSERVICE_ENDPOINT)");

  orgs
    .command("create <slug>")
    .description("Create an org and its first admin; prints {org, adminId, adminToken} (the token is shown once).")
    .option("--name <name>", "a display name")
    .addOption(endpoint())
    .action(async (slug: string, opts: { name?: string; endpoint?: string }) => print(await apiClient(opts).admin.orgs.create({ slug, name: opts.name })));

  orgs
    .command("list")
    .description("List every org, one JSON line each.")
    .addOption(endpoint())
    .action(async (opts: { endpoint?: string }) => {
      const client = apiClient(opts);
      for (let cursor: string | undefined; ; ) {
        const page = await client.admin.orgs.list({ limit: 100, cursor });
        page.items.forEach(print);
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
      }
    });

  orgs
    .command("deactivate <slug>")
    .description("Deactivate an org: every credential of it is refused at once, on every instance.")
    .addOption(endpoint())
    .action(async (slug: string, opts: { endpoint?: string }) => print(await apiClient(opts).admin.orgs.update(slug, { isActive: false })));

  orgs
    .command("activate <slug>")
    .description("Reactivate an org: its credentials work again.")
    .addOption(endpoint())
    .action(async (slug: string, opts: { endpoint?: string }) => print(await apiClient(opts).admin.orgs.update(slug, { isActive: true })));

  orgs
    .command("delete <slug>")
    .description("Delete an org and revoke everything it issued (refused while it has keys, unless --force).")
    .option("--force", "delete it with its keys")
    .addOption(endpoint())
    .action(async (slug: string, opts: { force?: boolean; endpoint?: string }) => {
      await apiClient(opts).admin.orgs.delete(slug, { force: opts.force ? "true" : "false" });
      print({ deleted: slug });
    });
}
