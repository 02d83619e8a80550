import { routes } from "@keyservice/sdk";
import { findDeployment, toDeploymentKey } from "../../../domain/deployments";
import { pageOf } from "../../../domain/pagination";
import { defineRoute } from "../../define";

export default defineRoute(routes.listDeploymentKeys, async ({ app, org, params, query }) => {
  await findDeployment(app.store, org.id, params.id);
  let q = app.store.selectFrom("deploymentKeys").selectAll().where("deploymentId", "=", params.id);
  if (query.cursor) q = q.where("id", ">", query.cursor);
  const page = pageOf(await q.orderBy("id").limit(query.limit + 1).execute(), query.limit);
  return { items: page.items.map(toDeploymentKey), nextCursor: page.nextCursor };
});
