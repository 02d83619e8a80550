import { routes } from "@keyservice/sdk";
import { listMembers } from "../../domain/members";
import { defineRoute } from "../define";

export default defineRoute(routes.listMembers, async ({ db, org, query }) => listMembers(db, org.id, query.limit, query.cursor));
