import { OrgSlug } from "@keyservice/sdk";
import { newId } from "./crypto/ids";
import type { Store } from "./db/connect";
import { isUniqueViolation } from "./db/errors";
import type { Tx } from "./db/writer";
import { createMember } from "./domain/members";

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
  const now = Date.now();
  try {
    await store.db.insertInto("orgs").values({ id: newId(now), slug, createdAt: now }).execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const org = await store.db.selectFrom("orgs").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  const admin = await creating(store, (tx) => createMember(tx, org.id, "cli:bootstrap", { name: `${adminName}-${newId(now).slice(-6)}`, role: "admin" }));
  return { org: slug, adminToken: admin.token };
}
