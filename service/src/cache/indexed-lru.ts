import { GenerationalLru } from "./generational-lru";

/**
 * A bounded LRU with a side index that says which keys a write makes stale. `unindex` runs on every
 * removal (room, delete, clear, replace), so the index never names a key that is gone.
 */
export abstract class IndexedLru<V extends {}> {
  private readonly lru: GenerationalLru<V>;
  evictions = 0;

  /** `ttlMs`: an entry older than this is gone (read as a miss); none by default. */
  constructor(max: number, ttlMs?: number) {
    this.lru = new GenerationalLru<V>({
      max,
      ttlMs,
      dispose: (value, key, reason) => {
        if (reason === "evict") this.evictions++;
        this.unindex(key, value);
      },
    });
  }

  /** Takes `key`, whose entry `value` is being removed, out of the index. */
  protected abstract unindex(key: string, value: V): void;

  get size(): number {
    return this.lru.size;
  }

  /** Entries not yet past their TTL: an expired one is dropped only when it is next touched. A walk, for /metrics. */
  get liveSize(): number {
    let live = 0;
    for (const _ of this.lru.keys()) live++;
    return live;
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  clear(): void {
    this.lru.clear();
  }

  /**
   * Stores an entry for the caller to index next: an entry it replaces has been unindexed by then.
   * `start` (`performance.now()`): when its value was read, where its TTL counts from.
   */
  protected put(key: string, value: V, start?: number): void {
    this.lru.set(key, value, start);
  }

  /** The keys of the entries that match: a scan, for the rare write that no index serves. */
  protected keysWhere(match: (value: V) => boolean): string[] {
    const keys: string[] = [];
    for (const [key, value] of this.lru.entries()) if (match(value)) keys.push(key);
    return keys;
  }

  /** Removes the entries whose key matches: a scan. */
  deleteWhere(match: (key: string) => boolean): void {
    const keys: string[] = [];
    for (const key of this.lru.keys()) if (match(key)) keys.push(key);
    this.deleteAll(keys);
  }

  /** Removes these entries; pass a copy of an index's keys, since each removal changes the index. */
  protected deleteAll(keys: readonly string[]): void {
    for (const key of keys) this.lru.delete(key);
  }
}
