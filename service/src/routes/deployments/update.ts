import { routes } from "@keyservice/sdk";
import { isUniqueViolation } from "../../db/connect";
import type { DeploymentUpdate } from "../../db/tables/deployments.table";
import { deploymentNameConflict, findDeployment, toDeployment } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.updateDeployment, async ({ app, org, caller, params, body }) => {
  await findDeployment(app.store, org.id, params.id);
  const set: DeploymentUpdate = { updatedAt: Date.now() };
  if (body.name !== undefined) set.name = body.name;
  if (body.isActive !== undefined) set.isActive = body.isActive ? 1 : 0;
  try {
    await app.store.updateTable("deployments").set(set).where("id", "=", params.id).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw deploymentNameConflict(body.name);
    throw err;
  }
  await app.audit(org.id, caller, { action: "deployment.update", target: params.id });
  return toDeployment(await findDeployment(app.store, org.id, params.id));
});
