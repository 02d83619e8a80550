import { routes } from "@keyservice/sdk";
import { deleteApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.deletePlatformApiKey, async ({ app, org, caller, params }) => deleteApiKey(app.store, org.id, caller, "platform", params.id));
