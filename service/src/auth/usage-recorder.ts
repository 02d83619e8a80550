import type { Kysely } from "kysely";
import type { CredentialKind } from "../db/tables/credentials.table";
import type { Database } from "../db/database";
import { recordUsage, type Uses, type UsageWrite } from "../domain/usage";

/**
 * Remembers when each credential owner was last used and writes it in batches, so the hot path
 * only touches a map. A batch that fails (store unreachable) is merged back and retried.
 *
 * A batch holds up to one owner per cached credential (100,000). Each is one Map slot whose value
 * is its instant in milliseconds after the batch's `since`: a small integer, which V8 keeps in the
 * slot itself (100,000 owners: 3.1 MB). An object per owner (`{ kind, at }`, the instant a heap
 * number) took 8.1 MB, and every batch left them behind as old-generation garbage.
 */
export class UsageRecorder {
  private pending = newBatch();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly db: Kysely<Database>,
    /** How a batch is written (see domain/usage.ts): in one transaction on SQLite only. */
    private readonly how: UsageWrite,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    /** Told of the owners whose lastUsedAt a batch wrote, by kind, once it committed. */
    private readonly onWritten: (uses: Uses) => void = () => {},
  ) {}

  touch(ownerId: string, kind: CredentialKind, at = Date.now()): void {
    // A key used again since the last flush overwrites its slot: no allocation.
    this.pending.byKind[kind].set(ownerId, at - this.pending.since);
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
    const batch = this.pending;
    if (Object.values(batch.byKind).every((owners) => owners.size === 0)) return;
    this.pending = newBatch();
    try {
      await recordUsage(this.db, batch, this.how);
      this.onWritten(batch);
    } catch (err) {
      // Merged back under the new batch's `since`; a use recorded meanwhile is newer and stays.
      for (const [kind, owners] of Object.entries(batch.byKind) as [CredentialKind, Map<string, number>][]) {
        const into = this.pending.byKind[kind];
        for (const [id, after] of owners) if (!into.has(id)) into.set(id, batch.since + after - this.pending.since);
      }
      this.onError(err);
    }
  }
}

function newBatch(): Uses & { byKind: Record<CredentialKind, Map<string, number>> } {
  return {
    since: Date.now(),
    byKind: { user: new Map(), platform: new Map(), global: new Map(), deployment: new Map(), platform_admin: new Map(), impersonation: new Map() },
  };
}
