import { routes } from "@keyservice/sdk";
import { updateOrg } from "../../../domain/orgs";
import { defineAdminRoute } from "../../define";

export default defineAdminRoute(routes.updateOrg, async ({ admin, params, body, write }) => write((tx) => updateOrg(tx, admin, params.slug, body)));
