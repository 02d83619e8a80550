import { routes } from "@keyservice/sdk";
import { updateApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.updateGlobalApiKey, async ({ app, org, caller, params, body }) => updateApiKey(app.store, org.id, caller, "global", params.id, body));
