import { routes } from "@keyservice/sdk";
import { newId } from "../../../crypto/ids";
import { digestToken, newToken, tokenHint } from "../../../crypto/tokens";
import { findDeployment, toDeploymentKey } from "../../../domain/deployments";
import { writeAudit } from "../../../plugins/audit";
import { defineRoute } from "../../define";

export default defineRoute(routes.createDeploymentKey, async ({ app, org, caller, params, body }) => {
  await findDeployment(app.store, org.id, params.id);
  const token = newToken("deployment");
  const now = Date.now();
  const row = { id: newId(now), orgId: org.id, deploymentId: params.id, name: body.name ?? null, keyHint: tokenHint(token), createdAt: now };
  await app.store.transaction().execute(async (trx) => {
    await trx.insertInto("deploymentKeys").values(row).execute();
    await trx.insertInto("credentials").values({ digest: digestToken(token), orgId: org.id, kind: "deployment", ownerId: row.id, expiresAt: null, createdAt: now }).execute();
    await writeAudit(trx, org.id, caller, { action: "deployment_key.create", target: row.id });
  });
  return { ...toDeploymentKey(row), key: token };
});
