import type { Transaction } from "kysely";
import type { Database } from "../db/database";
import type { AuthCache } from "./auth-cache";

/** What a write publishes inside its transaction, settled once the transaction has committed. */
export interface Publication {
  tags: readonly string[];
  /** Set by buses that confirm delivery: identifies the write's message. */
  nonce?: string;
}

/**
 * Carries cache invalidations from the instance that wrote to every instance. The contract that
 * makes revocation immediate everywhere: once `settle` resolves (before the write's response is
 * sent), no instance serves the evicted entries from its cache any more.
 */
export interface InvalidationBus {
  /** Whether this instance may answer from its cache right now. */
  trusted(): boolean;
  /** Inside the write's transaction: the invalidation commits (or rolls back) with the write. */
  publish(trx: Transaction<Database>, tags: readonly string[]): Promise<Publication>;
  /**
   * After the commit: evicts here, and waits until every other instance has evicted too. Resolves
   * true when each confirmed, false when the lease ran out first (safe as well: see PostgresBus).
   */
  settle(publication: Publication): Promise<boolean>;
  /**
   * The transaction failed. Evicts here all the same: a COMMIT whose reply was lost may have
   * committed, and evicting an entry that is still right costs only a reload.
   */
  discard(publication: Publication): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One instance (SQLite): the cache of this process is the only one, so eviction is immediate. */
export class LocalBus implements InvalidationBus {
  constructor(private readonly cache: AuthCache) {}

  trusted(): boolean {
    return true;
  }

  async publish(_trx: Transaction<Database>, tags: readonly string[]): Promise<Publication> {
    return { tags };
  }

  async settle({ tags }: Publication): Promise<boolean> {
    this.cache.invalidate(tags);
    return true;
  }

  discard({ tags }: Publication): void {
    this.cache.invalidate(tags);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
