import { routes } from "@keyservice/sdk";
import { pageOf } from "../../domain/pagination";
import { iso } from "../../time";
import { defineRoute } from "../define";

export default defineRoute(routes.listAuditEvents, async ({ app, org, query }) => {
  let q = app.store.selectFrom("auditEvents").selectAll().where("orgId", "=", org.id);
  if (query.cursor) q = q.where("id", ">", query.cursor);
  const page = pageOf(await q.orderBy("id").limit(query.limit + 1).execute(), query.limit);
  return {
    items: page.items.map((e) => ({ id: e.id, at: iso(Number(e.at)), actor: e.actor, action: e.action, target: e.target, outcome: e.outcome })),
    nextCursor: page.nextCursor,
  };
});
