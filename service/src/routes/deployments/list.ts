import { routes } from "@keyservice/sdk";
import { toDeployment } from "../../domain/deployments";
import { pageOf } from "../../domain/pagination";
import { defineRoute } from "../define";

export default defineRoute(routes.listDeployments, async ({ app, org, query }) => {
  let q = app.store.selectFrom("deployments").selectAll().where("orgId", "=", org.id);
  if (query.cursor) q = q.where("id", ">", query.cursor);
  const page = pageOf(await q.orderBy("id").limit(query.limit + 1).execute(), query.limit);
  return { items: page.items.map(toDeployment), nextCursor: page.nextCursor };
});
