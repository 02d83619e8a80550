import { routes } from "@keyservice/sdk";
import { findDeployment } from "../../domain/deployments";
import { writeAudit } from "../../plugins/audit";
import { defineRoute } from "../define";

export default defineRoute(routes.deleteDeployment, async ({ app, org, caller, params }) => {
  await findDeployment(app.store, org.id, params.id);
  await app.store.transaction().execute(async (trx) => {
    const keyIds = (await trx.selectFrom("deploymentKeys").select("id").where("deploymentId", "=", params.id).execute()).map((r) => r.id);
    if (keyIds.length > 0) await trx.deleteFrom("credentials").where("ownerId", "in", keyIds).execute();
    // Its keys and its place in global keys' lists go with it (foreign keys cascade).
    await trx.deleteFrom("deployments").where("id", "=", params.id).execute();
    await writeAudit(trx, org.id, caller, { action: "deployment.delete", target: params.id });
  });
});
