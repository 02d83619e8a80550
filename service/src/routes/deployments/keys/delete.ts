import { ApiError, routes } from "@keyservice/sdk";
import { findDeployment } from "../../../domain/deployments";
import { writeAudit } from "../../../plugins/audit";
import { defineRoute } from "../../define";

export default defineRoute(routes.deleteDeploymentKey, async ({ app, org, caller, params }) => {
  await findDeployment(app.store, org.id, params.id);
  const key = await app.store.selectFrom("deploymentKeys").select("id").where("id", "=", params.keyId).where("deploymentId", "=", params.id).executeTakeFirst();
  if (!key) throw new ApiError("not_found", `There is no key with id "${params.keyId}" on this deployment.`);
  await app.store.transaction().execute(async (trx) => {
    await trx.deleteFrom("credentials").where("ownerId", "=", key.id).execute();
    await trx.deleteFrom("deploymentKeys").where("id", "=", key.id).execute();
    await writeAudit(trx, org.id, caller, { action: "deployment_key.delete", target: key.id });
  });
});
