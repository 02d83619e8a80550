import { ApiError, routes } from "@keyservice/sdk";
import { tokenKind } from "../../crypto/tokens";
import { bearerToken, ensureNotRateLimited, failAuthentication, findLiveCredential } from "../../plugins/auth";
import { definePublicRoute } from "../define";

/** The hot path: one indexed lookup for the deployment, one for the key's digest, one for its owner. */
export default definePublicRoute(routes.executeDeployment, async ({ app, req, params }) => {
  const deployment = await app.store
    .selectFrom("deployments")
    .innerJoin("orgs", "orgs.id", "deployments.orgId")
    .select(["deployments.id", "deployments.orgId", "deployments.name", "deployments.isActive"])
    .where("orgs.slug", "=", params.org)
    .where("deployments.name", "=", params.name)
    .executeTakeFirst();
  if (!deployment || deployment.isActive !== 1) {
    throw new ApiError("not_found", `There is no active deployment named "${params.name}" in this org.`);
  }
  ensureNotRateLimited(app, req);
  const token = bearerToken(req);
  const kind = token ? tokenKind(token) : undefined;
  const now = Date.now();
  const cred = token && (kind === "deployment" || kind === "global") ? await findLiveCredential(app, token, now) : undefined;
  if (cred && cred.orgId === deployment.orgId) {
    if (cred.kind === "deployment") {
      const key = await app.store.selectFrom("deploymentKeys").select("id").where("id", "=", cred.ownerId).where("deploymentId", "=", deployment.id).executeTakeFirst();
      if (key) return { deployment: deployment.name, keyKind: "deployment" as const, keyId: key.id };
    } else if (cred.kind === "global") {
      const key = await app.store.selectFrom("apiKeys").selectAll().where("id", "=", cred.ownerId).executeTakeFirst();
      const live = key && key.isActive === 1 && (key.expiresAt === null || Number(key.expiresAt) > now);
      if (key && live) {
        const opens =
          key.allowAllDeployments === 1 ||
          (await app.store.selectFrom("apiKeyDeployments").select("apiKeyId").where("apiKeyId", "=", key.id).where("deploymentId", "=", deployment.id).executeTakeFirst()) !== undefined;
        if (opens) return { deployment: deployment.name, keyKind: "global" as const, keyId: key.id };
      }
    }
  }
  return failAuthentication(app, req, params.org);
});
