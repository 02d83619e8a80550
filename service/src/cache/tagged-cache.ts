import { IndexedLru } from "./indexed-lru";

/**
 * A bounded LRU whose entries carry tags (`o:<owner id>`, `g:<org id>`, `d:<deployment id>`), so a
 * write can evict everything it affects without knowing the cache keys (token digests).
 */
export class TaggedCache<V extends {}> extends IndexedLru<V> {
  private readonly byTag = new Map<string, Set<string>>();
  private readonly tagsOf = new Map<string, readonly string[]>();

  /** `start`: when the value was read (`performance.now()`), where a TTL counts from; now by default. */
  set(key: string, value: V, tags: readonly string[], start?: number): void {
    this.put(key, value, start);
    this.tagsOf.set(key, tags);
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Removes every entry carrying any of these tags. */
  invalidate(tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      this.deleteAll([...keys]);
    }
  }

  protected override unindex(key: string): void {
    const tags = this.tagsOf.get(key);
    if (!tags) return;
    this.tagsOf.delete(key);
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.byTag.delete(tag);
    }
  }
}
