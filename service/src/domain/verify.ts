import type { VerifyKeyResult } from "@keyservice/sdk";
import { digestToken, tokenKind } from "../crypto/tokens";
import type { Db } from "../db/writer";

/** Says whether a key of this org is usable, without using it. Keys of other orgs are simply NOT_FOUND. */
export async function verifyKey(db: Db, orgId: string, key: string, now = Date.now()): Promise<VerifyKeyResult> {
  const notFound: VerifyKeyResult = { valid: false, code: "NOT_FOUND" };
  if (!tokenKind(key)) return notFound;
  const cred = await db.selectFrom("credentials").selectAll().where("digest", "=", digestToken(key)).executeTakeFirst();
  if (!cred || cred.orgId !== orgId || cred.kind === "platform_admin") return notFound;
  const about = { kind: cred.kind, keyId: cred.ownerId };
  if (cred.expiresAt !== null && Number(cred.expiresAt) <= now) return { valid: false, code: "EXPIRED", ...about };
  if (cred.kind === "global" || cred.kind === "platform") {
    const key = await db.selectFrom("apiKeys").select(["isActive", "expiresAt"]).where("id", "=", cred.ownerId).executeTakeFirst();
    if (!key) return notFound;
    if (key.isActive !== 1) return { valid: false, code: "DISABLED", ...about };
    if (key.expiresAt !== null && Number(key.expiresAt) <= now) return { valid: false, code: "EXPIRED", ...about };
  } else if (cred.kind === "deployment") {
    const key = await db
      .selectFrom("deploymentKeys")
      .innerJoin("deployments", "deployments.id", "deploymentKeys.deploymentId")
      .select("deployments.isActive")
      .where("deploymentKeys.id", "=", cred.ownerId)
      .executeTakeFirst();
    if (!key) return notFound;
    if (key.isActive !== 1) return { valid: false, code: "DISABLED", ...about };
  }
  return { valid: true, code: "VALID", ...about };
}
