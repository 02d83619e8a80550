import { ApiError, routes } from "@keyservice/sdk";
import { tokenKind } from "../../crypto/tokens";
import { activeDeploymentByName, apiKeyById, apiKeyListsDeployment, deploymentKeyOn } from "../../db/hot-queries";
import { bearerToken, ensureNotRateLimited, failAuthentication, findLiveCredential } from "../../plugins/auth";
import { definePublicRoute } from "../define";

/** The hot path: one indexed lookup for the deployment, one for the key's digest, one for its owner. */
export default definePublicRoute(routes.executeDeployment, async ({ app, req, params }) => {
  const deployment = await activeDeploymentByName(app.store, params.org, params.name);
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
      const key = await deploymentKeyOn(app.store, cred.ownerId, deployment.id);
      if (key) return { deployment: deployment.name, keyKind: "deployment" as const, keyId: key.id };
    } else if (cred.kind === "global") {
      const key = await apiKeyById(app.store, cred.ownerId);
      const live = key && key.isActive === 1 && (key.expiresAt === null || Number(key.expiresAt) > now);
      if (key && live) {
        const opens =
          key.allowAllDeployments === 1 ||
          (await apiKeyListsDeployment(app.store, key.id, deployment.id)) !== undefined;
        if (opens) return { deployment: deployment.name, keyKind: "global" as const, keyId: key.id };
      }
    }
  }
  return failAuthentication(app, req, params.org);
});
