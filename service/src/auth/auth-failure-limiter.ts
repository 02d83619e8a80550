import { LRUCache } from "lru-cache";
import type { Db } from "../db/writer";
import { purgeAuthFailures, recordAuthFailure } from "../domain/auth-failures";

export interface LimiterVerdict {
  limited: boolean;
  /** When the client's window ends (epoch ms): what Retry-After counts down to. */
  windowEnd: number;
}

/**
 * Failed authentications per client per fixed window, counted in the store so every instance
 * shares one count. Only failures are counted or checked: a request with a valid credential never
 * reaches here, whatever its address. A client over the limit is remembered in a bounded LRU until
 * its window ends, so a flood from it costs no store writes; each request does constant work.
 */
export class AuthFailureLimiter {
  private readonly blocked: LRUCache<string, number>;

  constructor(
    private readonly db: Db,
    private readonly limit: number,
    private readonly windowMs: number,
    maxBlocked = 10_000,
  ) {
    this.blocked = new LRUCache({ max: maxBlocked });
  }

  windowStart(now: number): number {
    return now - (now % this.windowMs);
  }

  /** Records a failure of `client` and says whether it is now over the limit. */
  async fail(client: string, now = Date.now()): Promise<LimiterVerdict> {
    const windowStart = this.windowStart(now);
    const windowEnd = windowStart + this.windowMs;
    const until = this.blocked.get(client);
    if (until !== undefined && until > now) return { limited: true, windowEnd: until };
    const failures = await recordAuthFailure(this.db, client, windowStart);
    if (failures <= this.limit) return { limited: false, windowEnd };
    this.blocked.set(client, windowEnd);
    return { limited: true, windowEnd };
  }

  /** Drops windows older than the previous one. */
  purge(now = Date.now()): Promise<void> {
    return purgeAuthFailures(this.db, this.windowStart(now) - this.windowMs);
  }
}
