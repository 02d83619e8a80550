/** Why an entry left: made room for another, replaced by `set`, deleted (or cleared), or found past its TTL. */
export type RemovalReason = "evict" | "set" | "delete" | "expire";

export interface GenerationalLruOptions<V> {
  /** Entries kept at most. */
  max: number;
  /** An entry older than this (from its `start`) reads as a miss and is dropped; none by default. */
  ttlMs?: number;
  /** Told of every entry that leaves, whatever the reason. */
  dispose?: (value: V, key: string, reason: RemovalReason) => void;
}

interface Timed<V> {
  value: V;
  start: number;
}

/**
 * A bounded map that drops the entries unused the longest first, approximately: two generations of
 * insertion-ordered Maps. New entries go into the young one; a read of an entry in the old one
 * moves it to the young one; room is made by dropping the old generation's entries in the order
 * they came, and when it is empty the young one becomes old. Recency is kept per generation, not
 * per read: an entry read after it became old is saved, one read only while young is not told
 * apart from the other young entries (when the generations turn, the young ones go in the order
 * they came).
 *
 * An entry costs one Map slot, allocated as the cache fills (and a slot in the old generation's
 * list of keys once the generations have turned). The `lru-cache` package keeps an exact order in
 * arrays sized to `max` up front: with 100,000 credentials cached in a cache of 200,000, 8.9 MB
 * against 2.0 MB (heap and array buffers, measured after a full GC), which kept the service over
 * 150 MB of RSS. A read in the young generation is one Map lookup.
 */
export class GenerationalLru<V> {
  private young = new Map<string, V | Timed<V>>();
  private old = new Map<string, V | Timed<V>>();
  /**
   * The old generation's keys in the order they came, and the next to look at: a key no longer in
   * the old generation (read since, deleted) is skipped. An array, not an iterator over the Map: a
   * live iterator keeps each table the Map shrinks out of alive, with the entries it held then.
   */
  private oldKeys: (string | undefined)[] = [];
  private next = 0;
  private readonly max: number;
  private readonly ttlMs: number | undefined;
  private readonly dispose: (value: V, key: string, reason: RemovalReason) => void;

  constructor({ max, ttlMs, dispose }: GenerationalLruOptions<V>) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`max must be a whole number of at least 1, got ${max}.`);
    this.max = max;
    this.ttlMs = ttlMs !== undefined && ttlMs > 0 ? ttlMs : undefined;
    this.dispose = dispose ?? (() => {});
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: string): V | undefined {
    let slot = this.young.get(key);
    if (slot === undefined) {
      slot = this.old.get(key);
      if (slot === undefined) return undefined;
      this.leaveOld(key);
      this.young.set(key, slot);
    }
    return this.live(key, slot);
  }

  /** Whether a live entry is there; its recency does not move. */
  has(key: string): boolean {
    const slot = this.young.get(key) ?? this.old.get(key);
    return slot !== undefined && this.live(key, slot) !== undefined;
  }

  /** `start` (`performance.now()`): when the value was read, where its TTL counts from; now by default. */
  set(key: string, value: V, start?: number): void {
    const slot = this.ttlMs === undefined ? value : { value, start: start ?? performance.now() };
    const held = this.young.get(key) ?? this.old.get(key);
    if (held !== undefined) {
      this.remove(key);
      this.dispose(this.valueOf(held), key, "set");
    }
    // Room first, so the new entry starts in the young generation.
    while (this.size >= this.max) this.evictOne();
    this.young.set(key, slot);
  }

  delete(key: string): boolean {
    const held = this.young.get(key) ?? this.old.get(key);
    if (held === undefined) return false;
    this.remove(key);
    this.dispose(this.valueOf(held), key, "delete");
    return true;
  }

  clear(): void {
    const [young, old] = [this.young, this.old];
    this.young = new Map();
    this.old = new Map();
    this.oldKeys = [];
    this.next = 0;
    for (const generation of [old, young]) for (const [key, slot] of generation) this.dispose(this.valueOf(slot), key, "delete");
  }

  /** The live entries, oldest generation first; a walk. */
  *entries(): IterableIterator<[string, V]> {
    const now = this.ttlMs === undefined ? 0 : performance.now();
    for (const generation of [this.old, this.young]) {
      for (const [key, slot] of generation) if (!this.expired(slot, now)) yield [key, this.valueOf(slot)];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  private evictOne(): void {
    for (;;) {
      while (this.next < this.oldKeys.length) {
        const key = this.oldKeys[this.next] as string;
        this.oldKeys[this.next++] = undefined;
        const slot = this.old.get(key);
        if (slot === undefined) continue;
        this.leaveOld(key);
        this.dispose(this.valueOf(slot), key, "evict");
        return;
      }
      // The old generation is empty: the young one takes its place.
      this.old = this.young;
      this.young = new Map();
      this.oldKeys = [...this.old.keys()];
      this.next = 0;
    }
  }

  private live(key: string, slot: V | Timed<V>): V | undefined {
    if (this.ttlMs !== undefined && this.expired(slot, performance.now())) {
      this.remove(key);
      this.dispose(this.valueOf(slot), key, "expire");
      return undefined;
    }
    return this.valueOf(slot);
  }

  private remove(key: string): void {
    if (!this.young.delete(key)) this.leaveOld(key);
  }

  /** Takes `key` out of the old generation; its list of keys goes with its last entry. */
  private leaveOld(key: string): void {
    this.old.delete(key);
    if (this.old.size === 0 && this.oldKeys.length > 0) {
      this.oldKeys = [];
      this.next = 0;
    }
  }

  private expired(slot: V | Timed<V>, now: number): boolean {
    return this.ttlMs !== undefined && now - (slot as Timed<V>).start > this.ttlMs;
  }

  private valueOf(slot: V | Timed<V>): V {
    return this.ttlMs === undefined ? (slot as V) : (slot as Timed<V>).value;
  }
}
