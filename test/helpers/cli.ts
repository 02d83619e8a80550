import { execFile } from "node:child_process";
import { CLI } from "./service";

export interface CliResult {
  /** The exit code; null when the command was killed (it ran past its timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** How long it ran. */
  ms: number;
}

/**
 * Runs the built CLI (`node service/dist/cli.js ...`) as a user would, with the Node running the
 * tests, without blocking an in-process service; a command that runs past `timeoutMs` is killed.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
