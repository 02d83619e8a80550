import { routes, type VerifyKeyResult } from "@keyservice/sdk";
import { digestToken, tokenKind } from "../../crypto/tokens";
import { defineRoute } from "../define";

/** Says whether a key is usable, without using it. Keys of other orgs are simply NOT_FOUND. */
export default defineRoute(routes.verifyKey, async ({ app, org, body }): Promise<VerifyKeyResult> => {
  const notFound: VerifyKeyResult = { valid: false, code: "NOT_FOUND" };
  if (!tokenKind(body.key)) return notFound;
  const cred = await app.store.selectFrom("credentials").selectAll().where("digest", "=", digestToken(body.key)).executeTakeFirst();
  if (!cred || cred.orgId !== org.id) return notFound;
  const now = Date.now();
  const about = { kind: cred.kind, keyId: cred.ownerId };
  if (cred.expiresAt !== null && Number(cred.expiresAt) <= now) return { valid: false, code: "EXPIRED", ...about };
  if (cred.kind === "global" || cred.kind === "platform") {
    const key = await app.store.selectFrom("apiKeys").select(["isActive", "expiresAt"]).where("id", "=", cred.ownerId).executeTakeFirst();
    if (!key) return notFound;
    if (key.isActive !== 1) return { valid: false, code: "DISABLED", ...about };
    if (key.expiresAt !== null && Number(key.expiresAt) <= now) return { valid: false, code: "EXPIRED", ...about };
  } else if (cred.kind === "deployment") {
    const key = await app.store
      .selectFrom("deploymentKeys")
      .innerJoin("deployments", "deployments.id", "deploymentKeys.deploymentId")
      .select("deployments.isActive")
      .where("deploymentKeys.id", "=", cred.ownerId)
      .executeTakeFirst();
    if (!key) return notFound;
    if (key.isActive !== 1) return { valid: false, code: "DISABLED", ...about };
  }
  return { valid: true, code: "VALID", ...about };
});
