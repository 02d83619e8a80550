import type { AuthCache } from "../cache/auth-cache";
import type { InvalidationBus } from "../cache/bus";
import { type CredentialEntry, type DeploymentEntry, deploymentTags } from "../cache/entries";
import type { Db } from "../db/writer";
import { loadCredential, loadDeployment, loadOrgId } from "../domain/credentials";
import { tag } from "../cache/entries";

/** The deployments cache's key: an org and a name (NUL separates them; neither can hold one). */
function deploymentKey(orgId: string, name: string): string {
  return `${orgId}\u0000${name}`;
}

/**
 * The read path of authentication: the cache when the bus says it may be trusted, else the store.
 * A load is cached only if no invalidation happened while it ran (it may have read the store just
 * before a write committed).
 */
export class CredentialResolver {
  constructor(
    private readonly db: Db,
    private readonly cache: AuthCache,
    private readonly bus: InvalidationBus,
  ) {}

  /**
   * The cached credential of a token's digest (`rawDigest`), with no promise and no store read:
   * the hot path's answer when the cache holds it. Undefined when it must be looked up.
   */
  cachedCredential(digest: string): CredentialEntry | undefined {
    if (!this.bus.trusted()) return undefined;
    const hit = this.cache.credentials.get(digest);
    if (hit) this.cache.hits++;
    return hit;
  }

  /** The credential of a token (by its digest, `rawDigest`): the cache when it may be trusted, else the store. */
  async credential(digest: string): Promise<CredentialEntry | undefined> {
    const hit = this.cachedCredential(digest);
    if (hit) return hit;
    const trusted = this.bus.trusted();
    if (trusted && this.cache.unknown.has(digest)) {
      this.cache.hits++;
      return undefined;
    }
    this.cache.misses++;
    const generation = this.cache.generation;
    const entry = await loadCredential(this.db, Buffer.from(digest, "latin1").toString("hex"));
    if (trusted && generation === this.cache.generation && this.bus.trusted()) {
      if (entry) this.cache.putCredential(digest, entry);
      else this.cache.unknown.set(digest, true);
    }
    return entry;
  }

  /** An org's deployment by name, from the cache only (no promise): undefined when it must be looked up. */
  cachedDeployment(orgId: string, name: string): DeploymentEntry | undefined {
    return this.bus.trusted() ? this.cache.deployments.get(deploymentKey(orgId, name)) : undefined;
  }

  async deployment(orgId: string, name: string): Promise<DeploymentEntry | undefined> {
    const hit = this.cachedDeployment(orgId, name);
    if (hit) return hit;
    const key = deploymentKey(orgId, name);
    const trusted = this.bus.trusted();
    const generation = this.cache.generation;
    const entry = await loadDeployment(this.db, orgId, name);
    // Only found deployments are kept: a name that matches nothing costs a lookup, and is refused
    // after the credential was checked, so only a valid credential of the org can ask for one.
    if (entry && trusted && generation === this.cache.generation && this.bus.trusted()) this.cache.deployments.set(key, entry, deploymentTags(entry));
    return entry;
  }

  /** The id of the org with this slug (positive answers only are kept). */
  async orgId(slug: string): Promise<string | undefined> {
    const trusted = this.bus.trusted();
    const hit = trusted ? this.cache.orgs.get(slug) : undefined;
    if (hit) return hit.id;
    const generation = this.cache.generation;
    const id = await loadOrgId(this.db, slug);
    if (id && trusted && generation === this.cache.generation && this.bus.trusted()) this.cache.orgs.set(slug, { id }, [tag.org(id)]);
    return id;
  }
}
