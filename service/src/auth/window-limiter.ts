import { LRUCache } from "lru-cache";
import type { Db } from "../db/writer";
import { countHit, purgeWindows } from "../domain/rate-limits";

export interface LimiterVerdict {
  limited: boolean;
  /** When the subject's window ends (epoch ms): what Retry-After counts down to. */
  windowEnd: number;
}

/**
 * Hits per subject per fixed window, counted in the store so that every instance shares one
 * count. A subject over the limit is remembered in a bounded LRU until its window ends, so a flood
 * from it costs no store writes; each hit does constant work.
 */
export class WindowLimiter {
  private readonly blocked: LRUCache<string, number>;

  constructor(
    private readonly db: Db,
    /** Namespaces the subjects of this limiter in the shared table. */
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
    maxBlocked = 10_000,
  ) {
    this.blocked = new LRUCache({ max: maxBlocked });
  }

  windowStart(now: number): number {
    return now - (now % this.windowMs);
  }

  /** Counts a hit of `subject` and says whether it is now over the limit. */
  async hit(subject: string, now = Date.now()): Promise<LimiterVerdict> {
    const windowStart = this.windowStart(now);
    const windowEnd = windowStart + this.windowMs;
    const until = this.blocked.get(subject);
    if (until !== undefined && until > now) return { limited: true, windowEnd: until };
    const hits = await countHit(this.db, `${this.name}:${subject}`, windowStart);
    if (hits <= this.limit) return { limited: false, windowEnd };
    this.blocked.set(subject, windowEnd);
    return { limited: true, windowEnd };
  }

  /** How many subjects are remembered as over the limit (bounded by the LRU's size). */
  get remembered(): number {
    return this.blocked.size;
  }

  /** Drops windows older than the previous one (of every limiter: they share the table and the rule). */
  purge(now = Date.now()): Promise<void> {
    return purgeWindows(this.db, this.windowStart(now) - this.windowMs);
  }
}
