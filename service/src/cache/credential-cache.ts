import type { CredentialEntry } from "./entries";
import { IndexedLru } from "./indexed-lru";

/** A Map from one id to the cache keys that depend on it; most ids have one key, so no Set for those. */
class KeysBy {
  private readonly map = new Map<string, string | Set<string>>();

  add(id: string, key: string): void {
    const held = this.map.get(id);
    if (held === undefined) this.map.set(id, key);
    else if (typeof held === "string") {
      if (held !== key) this.map.set(id, new Set([held, key]));
    } else held.add(key);
  }

  remove(id: string, key: string): void {
    const held = this.map.get(id);
    if (held === key) this.map.delete(id);
    else if (typeof held === "object") {
      held.delete(key);
      if (held.size === 1) this.map.set(id, held.values().next().value as string);
    }
  }

  keys(id: string): string[] {
    const held = this.map.get(id);
    return held === undefined ? [] : typeof held === "string" ? [held] : [...held];
  }
}

/**
 * The credentials cache, keyed by the token's raw SHA-256 digest (32 bytes as a latin1 string, half
 * the size of hex). Entries are found for eviction by owner or deployment through indexes derived
 * from the entry itself (no tag list is stored per entry); an org's change, rare, scans the cache
 * instead of indexing every entry by org.
 */
export class CredentialCache extends IndexedLru<CredentialEntry> {
  private readonly byOwner = new KeysBy();
  private readonly byDeployment = new KeysBy();

  protected override unindex(key: string, entry: CredentialEntry): void {
    this.byOwner.remove(entry.ownerId, key);
    if (entry.kind === "deployment") this.byDeployment.remove(entry.deploymentId, key);
  }

  set(key: string, entry: CredentialEntry): void {
    this.put(key, entry);
    this.byOwner.add(entry.ownerId, key);
    if (entry.kind === "deployment") this.byDeployment.add(entry.deploymentId, key);
  }

  evictOwner(id: string): void {
    this.deleteAll(this.byOwner.keys(id));
  }

  evictOrg(id: string): void {
    this.deleteAll(this.keysWhere((entry) => entry.orgId === id));
  }

  evictDeployment(id: string): void {
    this.deleteAll(this.byDeployment.keys(id));
  }
}
