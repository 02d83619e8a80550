import { OrgSlug } from "@keyservice/sdk";
import type { Store } from "./db/connect";
import type { Tx } from "./db/writer";
import { createMember } from "./domain/members";
import { findOrg, insertOrg } from "./domain/orgs";
import { createPlatformAdmin } from "./domain/platform-admins";

export interface BootstrapResult {
  org: string;
  adminToken: string;
}

/**
 * Runs a CLI write that only creates (no cached entry can be stale), in one transaction. Running
 * instances need no notice of it.
 */
async function creating<T>(store: Store, work: (tx: Tx) => Promise<T>): Promise<T> {
  return store.db.transaction().execute((trx) =>
    work({
      db: trx,
      invalidate: () => {
        throw new Error("A CLI write that changes existing credentials must go through the API (running instances cache them).");
      },
    }),
  );
}

/** Creates the org if it is missing, and a new org admin whose token is returned once. */
export async function bootstrapOrg(store: Store, slug: string, adminName = `admin-${new Date().toISOString()}`): Promise<BootstrapResult> {
  const parsed = OrgSlug.safeParse(slug);
  if (!parsed.success) throw new Error(`--org "${slug}" is not a valid org slug: it ${parsed.error.issues[0].message}.`);
  const admin = await creating(store, async (tx) => {
    await insertOrg(tx, slug, null);
    const org = await findOrg(tx.db, slug);
    return createMember(tx, org.id, "cli:bootstrap", { name: `${adminName}-${Math.random().toString(36).slice(2, 8)}`, role: "admin" });
  });
  return { org: slug, adminToken: admin.token };
}

/** A new platform admin (operates the service across orgs); its `ks_adm_` token is returned once. */
export async function bootstrapPlatformAdmin(store: Store, name = `platform-admin-${new Date().toISOString()}`): Promise<{ platformAdminToken: string }> {
  const { token } = await creating(store, (tx) => createPlatformAdmin(tx, name));
  return { platformAdminToken: token };
}
