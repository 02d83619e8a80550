import { routes } from "@keyservice/sdk";
import { inScope } from "../../cache/entries";
import { liveCredential, refuse } from "../../plugins/auth";
import { definePublicRoute } from "../define";

/**
 * The hot path. The credential is checked first, so an unknown org or deployment answers the same
 * 401 as a bad key and counts as a failure: names cannot be enumerated without a credential. With
 * a warm cache it reads nothing from the store.
 */
export default definePublicRoute(routes.executeDeployment, async ({ app, req, reply, params }) => {
  const found = await liveCredential(app, req, ["deployment", "global"]);
  if ("reason" in found) {
    app.metrics.executions.inc({ outcome: found.reason });
    return refuse(app, req, reply, params.org, found.reason);
  }
  const cred = found.entry;
  const deployment = cred.orgSlug === params.org ? (app.resolver.cachedDeployment(cred.orgId, params.name) ?? (await app.resolver.deployment(cred.orgId, params.name))) : undefined;
  const opens =
    deployment?.isActive === true &&
    (cred.kind === "deployment" ? cred.deploymentId === deployment.id : cred.kind === "global" && (cred.allowAllDeployments || inScope(cred.deploymentIds, deployment.id)));
  if (!opens) {
    app.metrics.executions.inc({ outcome: "not_opened" });
    return refuse(app, req, reply, params.org, "not_opened");
  }
  app.usage.touch(cred.ownerId, cred.kind);
  req.callerId = `${cred.kind}:${cred.ownerId}`;
  app.metrics.executions.inc({ outcome: "ok" });
  return { deployment: deployment.name, keyKind: cred.kind as "deployment" | "global", keyId: cred.ownerId };
});
