import { routes } from "@keyservice/sdk";
import { listOrgs } from "../../../domain/orgs";
import { defineAdminRoute } from "../../define";

export default defineAdminRoute(routes.listOrgs, async ({ db, query }) => listOrgs(db, query.limit, query.cursor));
