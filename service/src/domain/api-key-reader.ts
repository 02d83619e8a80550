import type { AuthCache } from "../cache/auth-cache";
import type { InvalidationBus } from "../cache/bus";
import { tag } from "../cache/entries";
import type { Db } from "../db/writer";
import { type ApiKeyKind, type ApiKeyRecord, type Rendered, readApiKey, renderApiKey } from "./api-keys";

/** What evicts a key's cached read: a write to the key, to its org, or to a deployment of its scope. */
function tagsOf(record: ApiKeyRecord): string[] {
  return [tag.owner(record.row.id), tag.org(record.row.orgId), ...record.scope.map(tag.deployment)];
}

/**
 * GET of a global or platform key, answered from memory once read. Every write that changes what it
 * shows publishes the key's, its org's or a deployment's tag, and every instance evicts before the
 * write is answered (as for credentials), so no change is ever served late. `lastUsedAt` alone is
 * written apart, in batches: this instance forgets the keys it flushed, and a read kept from
 * before another instance's flush lives one flush interval at most (the cache's TTL, counted from
 * the start of the read).
 */
export class ApiKeyReader {
  constructor(
    private readonly db: Db,
    private readonly cache: AuthCache,
    private readonly bus: InvalidationBus,
  ) {}

  async get<K extends ApiKeyKind>(orgId: string, kind: K, id: string): Promise<Readonly<Rendered<K>>> {
    const trusted = this.bus.trusted();
    const hit = trusted ? this.cache.keys.get(id) : undefined;
    if (hit) {
      this.cache.keyHits++;
      return renderApiKey(hit, orgId, kind, id);
    }
    this.cache.keyMisses++;
    const generation = this.cache.keysGeneration;
    const started = performance.now();
    const record = await readApiKey(this.db, orgId, kind, id);
    // Kept only if no write was published while it was read (it may have read the store just before
    // one committed), and only for its TTL counted from before the read.
    if (record && trusted && generation === this.cache.keysGeneration && this.bus.trusted()) this.cache.keys.set(id, record, tagsOf(record), started);
    return renderApiKey(record, orgId, kind, id);
  }
}
