import { routes } from "@keyservice/sdk";
import { newId } from "../../crypto/ids";
import { isUniqueViolation } from "../../db/connect";
import { deploymentNameConflict, findDeployment, toDeployment } from "../../domain/deployments";
import { defineRoute } from "../define";

export default defineRoute(routes.createDeployment, async ({ app, org, caller, body }) => {
  const now = Date.now();
  const id = newId(now);
  try {
    await app.store.insertInto("deployments").values({ id, orgId: org.id, name: body.name, isActive: body.isActive ? 1 : 0, createdAt: now, updatedAt: now }).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw deploymentNameConflict(body.name);
    throw err;
  }
  await app.audit(org.id, caller, { action: "deployment.create", target: id });
  return toDeployment(await findDeployment(app.store, org.id, id));
});
