import { routes } from "@keyservice/sdk";
import { liveCredential, refuse } from "../../plugins/auth";
import { definePublicRoute } from "../define";

/**
 * The hot path. The credential is checked first, so an unknown org or deployment answers the same
 * 401 as a bad key and counts as a failure: names cannot be enumerated without a credential. With
 * a warm cache it reads nothing from the store.
 */
export default definePublicRoute(routes.executeDeployment, async ({ app, req, reply, params }) => {
  const cred = await liveCredential(app, req, ["deployment", "global"]);
  if (cred && cred.orgSlug === params.org) {
    const deployment = await app.resolver.deployment(cred.orgId, params.name);
    if (deployment?.isActive) {
      const opens =
        cred.kind === "deployment"
          ? cred.deploymentId === deployment.id
          : cred.kind === "global" && (cred.allowAllDeployments || cred.deploymentIds.has(deployment.id));
      if (opens) {
        app.usage.touch(cred.ownerId, cred.kind);
        return { deployment: deployment.name, keyKind: cred.kind as "deployment" | "global", keyId: cred.ownerId };
      }
    }
  }
  return refuse(app, req, reply, params.org);
});
