import { routes } from "@keyservice/sdk";
import { listUsers } from "../../../domain/users";
import { defineAdminRoute } from "../../define";

export default defineAdminRoute(routes.listUsers, async ({ db, query }) => listUsers(db, { org: query.org, role: query.role }, query.limit, query.cursor));
