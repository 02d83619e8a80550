import { routes } from "@keyservice/sdk";
import { updateApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.updatePlatformApiKey, async ({ app, org, caller, params, body }) => updateApiKey(app.store, org.id, caller, "platform", params.id, body));
