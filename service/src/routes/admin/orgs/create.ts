import { routes } from "@keyservice/sdk";
import { createOrg } from "../../../domain/orgs";
import { defineAdminRoute } from "../../define";

export default defineAdminRoute(routes.createOrg, async ({ admin, body, write }) => write((tx) => createOrg(tx, admin, body)));
