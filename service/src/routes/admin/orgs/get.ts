import { routes } from "@keyservice/sdk";
import { findOrg, toOrg } from "../../../domain/orgs";
import { defineAdminRoute } from "../../define";

export default defineAdminRoute(routes.getOrg, async ({ db, params }) => toOrg(await findOrg(db, params.slug)));
