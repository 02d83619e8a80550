import type { Kysely } from "kysely";
import type { CredentialKind } from "../db/tables/credentials.table";
import type { Database } from "../db/database";
import { recordUsage, type UsageWrite } from "../domain/usage";

/**
 * Remembers when each credential owner was last used and writes it in batches, so the hot path
 * only touches a map. A batch that fails (store unreachable) is merged back and retried.
 */
export class UsageRecorder {
  private pending = new Map<string, { kind: CredentialKind; at: number }>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly db: Kysely<Database>,
    /** How a batch is written (see domain/usage.ts): in one transaction on SQLite only. */
    private readonly how: UsageWrite,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    /** Told of the owners whose lastUsedAt a batch wrote, once it committed, with their kinds. */
    private readonly onWritten: (uses: ReadonlyMap<string, { kind: CredentialKind }>) => void = () => {},
  ) {}

  touch(ownerId: string, kind: CredentialKind, at = Date.now()): void {
    // A key used again since the last flush moves its instant in place: no Map write, no garbage.
    const use = this.pending.get(ownerId);
    if (use !== undefined) use.at = at;
    else this.pending.set(ownerId, { kind, at });
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * Writes what is pending before the process ends. A flush may be in flight: it wrote the batch it
   * took, not the uses recorded while it ran (nor a failed batch merged back), so a second follows.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.flush();
  }

  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await recordUsage(this.db, batch, this.how);
      this.onWritten(batch);
    } catch (err) {
      for (const [id, use] of batch) if (!this.pending.has(id)) this.pending.set(id, use);
      this.onError(err);
    }
  }
}
