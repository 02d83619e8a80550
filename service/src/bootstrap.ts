import { OrgSlug } from "@keyservice/sdk";
import { newId } from "./crypto/ids";
import { digestToken, newToken } from "./crypto/tokens";
import type { Store } from "./db/connect";
import { isUniqueViolation } from "./db/connect";
import { writeAudit } from "./plugins/audit";

export interface BootstrapResult {
  org: string;
  adminToken: string;
}

/** Creates the org if it is missing, and a new org admin whose token is returned once. */
export async function bootstrapOrg(store: Store, slug: string, adminName = `admin-${new Date().toISOString()}`): Promise<BootstrapResult> {
  const parsed = OrgSlug.safeParse(slug);
  if (!parsed.success) throw new Error(`--org "${slug}" is not a valid org slug: it ${parsed.error.issues[0].message}.`);
  const now = Date.now();
  try {
    await store.insertInto("orgs").values({ id: newId(now), slug, createdAt: now }).execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const org = await store.selectFrom("orgs").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  const token = newToken("user");
  const userId = newId(now);
  await store.transaction().execute(async (trx) => {
    await trx.insertInto("users").values({ id: userId, orgId: org.id, name: `${adminName}-${userId.slice(-6)}`, role: "admin", createdAt: now }).execute();
    await trx.insertInto("credentials").values({ digest: digestToken(token), orgId: org.id, kind: "user", ownerId: userId, expiresAt: null, createdAt: now }).execute();
    await writeAudit(trx, org.id, "cli:bootstrap", { action: "member.create", target: userId });
  });
  return { org: slug, adminToken: token };
}
