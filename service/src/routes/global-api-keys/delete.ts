import { routes } from "@keyservice/sdk";
import { deleteApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.deleteGlobalApiKey, async ({ app, org, caller, params }) => deleteApiKey(app.store, org.id, caller, "global", params.id));
