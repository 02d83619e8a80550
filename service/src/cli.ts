#!/usr/bin/env node
import { Command } from "commander";
import { membersCommand } from "./cli/members";
import { orgsCommand } from "./cli/orgs";
import { serveCommand } from "./cli/serve";
import { storeCommands } from "./cli/store-commands";

const program = new Command()
  .name("keyservice")
  .description("API keys as code: the keyservice HTTP API and its admin commands.")
  .showHelpAfterError();

serveCommand(program);
storeCommands(program);
orgsCommand(program);
membersCommand(program);

program.parseAsync().catch((err: unknown) => {
  // One line for the operator: never a stack trace, never a connection string.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`keyservice: ${message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(1);
});
