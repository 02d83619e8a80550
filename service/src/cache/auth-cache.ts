import type { ApiKeyRecord } from "../domain/api-keys";
import type { Uses } from "../domain/usage";
import { CredentialCache } from "./credential-cache";
import { GenerationalLru } from "./generational-lru";
import { type CredentialEntry, type DeploymentEntry, tag } from "./entries";
import { TaggedCache } from "./tagged-cache";

export interface AuthCacheOptions {
  /** Credentials kept (by token digest). */
  maxCredentials: number;
  /** Digests known to match nothing, kept briefly so a flood of garbage tokens reads nothing. */
  maxUnknown: number;
  unknownTtlMs: number;
  /** Global and platform keys as GET shows them (by id). */
  maxKeys: number;
  /** How long a key's read is kept at most: its lastUsedAt is written apart, by every instance. */
  keysTtlMs: number;
}

/**
 * The in-process cache of the auth and execute paths. `generation` moves on every invalidation, so
 * a load that raced a write is never stored (it read the store before the write committed).
 */
export class AuthCache {
  readonly credentials: CredentialCache;
  readonly deployments: TaggedCache<DeploymentEntry>;
  /** Org ids by slug, for counting failed authentications in the org a URL names. */
  readonly orgs: TaggedCache<{ id: string }>;
  /** API keys with their scope, by id, for GET (see domain/api-key-reader.ts). */
  readonly keys: TaggedCache<ApiKeyRecord>;
  /**
   * Unknown digests need no invalidation: a digest is looked up only once its token was issued,
   * and tokens are 256-bit random, so no lookup ever precedes the creation of its row.
   */
  readonly unknown: GenerationalLru<true>;
  /** One copy of each org id and slug, however many credentials of the org are cached. */
  private readonly interned = new Map<string, string>();
  generation = 0;
  /**
   * Moves on every invalidation too, and when this instance wrote keys' lastUsedAt: a key's read
   * that raced either is not kept. Apart from `generation`, so usage flushes cost the hot path nothing.
   */
  keysGeneration = 0;
  hits = 0;
  misses = 0;
  keyHits = 0;
  keyMisses = 0;

  constructor(options: AuthCacheOptions) {
    this.credentials = new CredentialCache(options.maxCredentials);
    this.deployments = new TaggedCache(Math.max(1000, Math.floor(options.maxCredentials / 10)));
    this.orgs = new TaggedCache(10_000);
    this.keys = new TaggedCache(options.maxKeys, options.keysTtlMs);
    this.unknown = new GenerationalLru({ max: options.maxUnknown, ttlMs: options.unknownTtlMs });
  }

  /** Stores a credential, sharing its org's strings with every other cached credential of the org. */
  putCredential(key: string, entry: CredentialEntry): void {
    if (this.interned.size > 100_000) this.interned.clear();
    entry.orgId = this.intern(entry.orgId);
    entry.orgSlug = this.intern(entry.orgSlug);
    // Many keys name the same deployments: one copy of each id.
    if (entry.kind === "global" && Array.isArray(entry.deploymentIds) && entry.deploymentIds.length > 0) entry.deploymentIds = entry.deploymentIds.map((id: string) => this.intern(id));
    this.credentials.set(key, entry);
  }

  private intern(text: string): string {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    this.interned.set(text, text);
    return text;
  }

  invalidate(tags: readonly string[]): void {
    this.generation++;
    this.keysGeneration++;
    if (tags.includes(tag.all)) return this.flush();
    for (const t of tags) {
      const id = t.slice(2);
      if (t.startsWith("o:")) this.credentials.evictOwner(id);
      else if (t.startsWith("g:")) this.credentials.evictOrg(id);
      else if (t.startsWith("d:")) this.credentials.evictDeployment(id);
    }
    this.deployments.invalidate(tags);
    this.orgs.invalidate(tags);
    this.keys.invalidate(tags);
  }

  /**
   * Drops the cached reads of the API keys whose lastUsedAt this instance just wrote; credentials
   * stay. A walk of this cache (10,000 entries at most), not of the uses (up to one per cached
   * credential), and nothing allocated per use.
   */
  forgetKeys({ byKind: { global, platform } }: Uses): void {
    if (!global?.size && !platform?.size) return;
    this.keysGeneration++;
    this.keys.deleteWhere((id) => global?.has(id) === true || platform?.has(id) === true);
  }

  flush(): void {
    this.generation++;
    this.keysGeneration++;
    this.credentials.clear();
    this.deployments.clear();
    this.orgs.clear();
    this.keys.clear();
    this.unknown.clear();
  }

  get evictions(): number {
    return this.credentials.evictions + this.deployments.evictions;
  }
}
