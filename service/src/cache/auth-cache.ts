import { LRUCache } from "lru-cache";
import { type CredentialEntry, type DeploymentEntry, tag } from "./entries";
import { TaggedCache } from "./tagged-cache";

export interface AuthCacheOptions {
  /** Credentials kept (by token digest). */
  maxCredentials: number;
  /** Digests known to match nothing, kept briefly so a flood of garbage tokens reads nothing. */
  maxUnknown: number;
  unknownTtlMs: number;
}

/**
 * The in-process cache of the auth and execute paths. `generation` moves on every invalidation, so
 * a load that raced a write is never stored (it read the store before the write committed).
 */
export class AuthCache {
  readonly credentials: TaggedCache<CredentialEntry>;
  readonly deployments: TaggedCache<DeploymentEntry>;
  /** Org ids by slug, for counting failed authentications in the org a URL names. */
  readonly orgs: TaggedCache<{ id: string }>;
  /**
   * Unknown digests need no invalidation: a digest is looked up only once its token was issued,
   * and tokens are 256-bit random, so no lookup ever precedes the creation of its row.
   */
  readonly unknown: LRUCache<string, true>;
  generation = 0;
  hits = 0;
  misses = 0;

  constructor(options: AuthCacheOptions) {
    this.credentials = new TaggedCache(options.maxCredentials);
    this.deployments = new TaggedCache(Math.max(1000, Math.floor(options.maxCredentials / 10)));
    this.orgs = new TaggedCache(10_000);
    this.unknown = new LRUCache({ max: options.maxUnknown, ttl: options.unknownTtlMs });
  }

  invalidate(tags: readonly string[]): void {
    this.generation++;
    if (tags.includes(tag.all)) return this.flush();
    this.credentials.invalidate(tags);
    this.deployments.invalidate(tags);
    this.orgs.invalidate(tags);
  }

  flush(): void {
    this.generation++;
    this.credentials.clear();
    this.deployments.clear();
    this.orgs.clear();
    this.unknown.clear();
  }

  get evictions(): number {
    return this.credentials.evictions + this.deployments.evictions;
  }
}
