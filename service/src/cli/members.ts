import { Option, type Command } from "commander";
import { apiClient, print, wholeSeconds } from "./shared";

/** `keyservice members …`: an org admin's commands against a running service (KEYSERVICE_TOKEN = an org admin token). */
export function membersCommand(program: Command): void {
  const members = program.command("members").description("Manage an org's members through a running service (KEYSERVICE_TOKEN: an org admin token).");
  const common = (cmd: Command) =>
    cmd.requiredOption("--org <slug>", "the org").addOption(new Option("--endpoint <url>", "the service's URL (default: KEYSERVICE_ENDPOINT)"));
  const role = () => new Option("--role <role>", "admin or member").choices(["admin", "member"]);

  common(members.command("list").description("List the org's members, one JSON line each (never a token)."))
    .action(async (opts: { org: string; endpoint?: string }) => {
      const client = apiClient(opts);
      for (let cursor: string | undefined; ; ) {
        const page = await client.members.list({ limit: 100, cursor });
        page.items.forEach(print);
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
      }
    });

  common(members.command("create").description("Create a member; prints it with its token (shown once)."))
    .requiredOption("--name <name>", "the member's name")
    .addOption(role().default("member"))
    .action(async (opts: { org: string; endpoint?: string; name: string; role: "admin" | "member" }) =>
      print(await apiClient(opts).members.create({ name: opts.name, role: opts.role })),
    );

  common(members.command("update <id>").description("Rename a member or change its role."))
    .option("--name <name>", "a new name")
    .addOption(role())
    .action(async (id: string, opts: { org: string; endpoint?: string; name?: string; role?: "admin" | "member" }) =>
      print(await apiClient(opts).members.update(id, { name: opts.name, role: opts.role })),
    );

  common(members.command("delete <id>").description("Remove a member; every token it holds stops working at once."))
    .action(async (id: string, opts: { org: string; endpoint?: string }) => {
      await apiClient(opts).members.delete(id);
      print({ deleted: id });
    });

  common(members.command("rotate-token <id>").description("Issue a member a new token (printed once); the old one stops working after the grace period."))
    .option("--grace <seconds>", "how long the old token keeps working", wholeSeconds, 0)
    .action(async (id: string, opts: { org: string; endpoint?: string; grace: number }) =>
      print(await apiClient(opts).members.rotateToken(id, { gracePeriodSeconds: opts.grace })),
    );
}
