import { routes } from "@keyservice/sdk";
import { startImpersonation } from "../../domain/impersonations";
import { defineAdminRoute } from "../define";

export default defineAdminRoute(routes.impersonate, async ({ admin, body, write }) => write((tx) => startImpersonation(tx, admin, body)));
