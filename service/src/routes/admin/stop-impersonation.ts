import { routes } from "@keyservice/sdk";
import { stopImpersonation } from "../../domain/impersonations";
import { defineAdminRoute } from "../define";

export default defineAdminRoute(routes.stopImpersonation, async ({ admin, body, write }) => write((tx) => stopImpersonation(tx, admin, body.id)));
