import { GenerationalLru, type RemovalReason } from "@keyservice/service/dist/cache/generational-lru";

/**
 * The bounded map under every cache of the auth path (credentials, deployments, org ids, API key
 * reads, unknown digests): it holds at most `max`, drops the entries unused the longest first, and
 * reports every removal (the caches' owner and tag indexes depend on it).
 */
function recorded<V>(max: number, ttlMs?: number) {
  const removed: [string, V, RemovalReason][] = [];
  const lru = new GenerationalLru<V>({ max, ttlMs, dispose: (value, key, reason) => removed.push([key, value, reason]) });
  return { lru, removed };
}

describe("GenerationalLru", () => {
  it("holds at most max entries, dropping the unused ones in the order they came", () => {
    const { lru, removed } = recorded<number>(3);
    for (const [i, key] of ["a", "b", "c", "d", "e", "f", "g"].entries()) lru.set(key, i);
    expect(lru.size).toBe(3);
    expect([...lru.keys()].sort()).toEqual(["e", "f", "g"]);
    expect(removed).toEqual([
      ["a", 0, "evict"],
      ["b", 1, "evict"],
      ["c", 2, "evict"],
      ["d", 3, "evict"],
    ]);
  });

  it("keeps an entry that was used over older ones and newer unused ones", () => {
    const { lru, removed } = recorded<string>(3);
    for (const key of ["a", "b", "c", "d"]) lru.set(key, key);
    expect(lru.get("b")).toBe("b");
    lru.set("e", "e");
    lru.set("f", "f");
    expect(removed.map(([key]) => key)).toEqual(["a", "c", "d"]);
    expect([...lru.keys()].sort()).toEqual(["b", "e", "f"]);
    expect(lru.get("b")).toBe("b");
  });

  it("does not move an entry's recency on has()", () => {
    const { lru, removed } = recorded<string>(3);
    for (const key of ["a", "b", "c", "d"]) lru.set(key, key);
    expect(lru.has("b")).toBe(true);
    lru.set("e", "e");
    expect(removed.map(([key]) => key)).toEqual(["a", "b"]);
  });

  it("tells of a replaced value, a deleted one and every cleared one, and counts them out of its size", () => {
    const { lru, removed } = recorded<number>(10);
    lru.set("a", 1);
    lru.set("a", 2);
    lru.set("b", 3);
    lru.set("c", 4);
    expect(lru.size).toBe(3);
    expect(lru.delete("b")).toBe(true);
    expect(lru.delete("b")).toBe(false);
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.get("a")).toBeUndefined();
    expect(removed).toEqual([
      ["a", 1, "set"],
      ["b", 3, "delete"],
      ["a", 2, "delete"],
      ["c", 4, "delete"],
    ]);
  });

  it("drops an entry past its TTL, counted from the start it was given, when it is next read", () => {
    const { lru, removed } = recorded<boolean>(10, 60_000);
    lru.set("old", true, performance.now() - 60_001);
    lru.set("new", true);
    expect([...lru.keys()]).toEqual(["new"]);
    expect(lru.size).toBe(2);
    expect(lru.has("old")).toBe(false);
    expect(lru.get("old")).toBeUndefined();
    expect(lru.get("new")).toBe(true);
    expect(lru.size).toBe(1);
    expect(removed).toEqual([["old", true, "expire"]]);
  });

  it("keeps recency per generation: reads while young do not reorder, and a drained old generation gives way to the young one", () => {
    const { lru, removed } = recorded<string>(3);
    for (const key of ["a", "b", "c"]) lru.set(key, key);
    for (let i = 0; i < 3; i++) lru.get("a");
    lru.set("d", "d");
    expect(removed.map(([key]) => key)).toEqual(["a"]);
    // b and c are old now; reading both empties the old generation, so d (young) is the next to go.
    lru.get("b");
    lru.get("c");
    lru.set("e", "e");
    expect(removed.map(([key]) => key)).toEqual(["a", "d"]);
    expect([...lru.keys()].sort()).toEqual(["b", "c", "e"]);
  });

  it("stays bounded and tells of each value exactly once through many sets, reads and deletes (checked against a model)", () => {
    const { lru, removed } = recorded<number>(50);
    const live = new Map<string, number>();
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 20_000; i++) {
      const key = `k${random(200)}`;
      const op = random(10);
      if (op < 5) lru.set(key, i);
      else if (op < 9) {
        const got = lru.get(key);
        if (got !== undefined) expect(got).toBe(live.get(key));
      } else lru.delete(key);
      // Each removal names a value the model holds, once: a missed one leaves it there, a second finds it gone.
      for (const [k, value] of removed.splice(0)) {
        expect(live.get(k)).toBe(value);
        live.delete(k);
      }
      if (op < 5) live.set(key, i);
      expect(lru.size).toBe(live.size);
      expect(lru.size).toBeLessThanOrEqual(50);
    }
    expect(new Map(lru.entries())).toEqual(live);
  });

  it("refuses a max that is not a whole number of at least 1, naming it", () => {
    expect(() => new GenerationalLru({ max: 0 })).toThrow("max must be a whole number of at least 1, got 0.");
  });
});
