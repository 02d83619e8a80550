import { routes } from "@keyservice/sdk";
import { createApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.createGlobalApiKey, async ({ app, org, caller, body }) => createApiKey(app.store, org.id, caller, "global", body));
