import { routes } from "@keyservice/sdk";
import { deleteOrg } from "../../../domain/orgs";
import { defineAdminRoute } from "../../define";

export default defineAdminRoute(routes.deleteOrg, async ({ admin, params, query, write }) => write((tx) => deleteOrg(tx, admin, params.slug, query.force)));
