import type { Kysely, Transaction } from "kysely";
import type { InvalidationBus, Publication } from "../cache/bus";
import type { Database } from "./database";

/** Anything queries run on: the store, or a transaction of it. */
export type Db = Kysely<Database> | Transaction<Database>;

/** A write in progress: its transaction, and the cache entries it makes stale. */
export interface Tx {
  readonly db: Transaction<Database>;
  /** Evicts entries with these tags on every instance once the transaction has committed. */
  invalidate(...tags: string[]): void;
}

/**
 * Runs each write in one transaction (the change, its audit event, its idempotency record). The
 * evictions it asks for are published inside the transaction and settled on every instance
 * before `run` resolves, so the response of a revocation is sent only once it holds everywhere.
 */
export class Writer {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: InvalidationBus,
    /** Told of each settled invalidation: whether every instance confirmed it in time. */
    private readonly onSettled: (confirmed: boolean) => void = () => {},
  ) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const tags = new Set<string>();
    let publication: Publication | undefined;
    let result: T;
    try {
      result = await this.db.transaction().execute(async (trx) => {
        const value = await work({ db: trx, invalidate: (...more) => more.forEach((t) => tags.add(t)) });
        if (tags.size > 0) publication = await this.bus.publish(trx, [...tags]);
        return value;
      });
    } catch (err) {
      if (publication) this.bus.discard(publication);
      throw err;
    }
    if (publication) this.onSettled(await this.bus.settle(publication));
    return result;
  }
}
