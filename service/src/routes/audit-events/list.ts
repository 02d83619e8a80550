import { routes } from "@keyservice/sdk";
import { listAuditEvents } from "../../domain/audit";
import { defineRoute } from "../define";

export default defineRoute(routes.listAuditEvents, async ({ db, org, query }) => listAuditEvents(db, org.id, query.limit, query.cursor, query.action, query.order));
