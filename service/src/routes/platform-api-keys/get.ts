import { routes } from "@keyservice/sdk";
import { findApiKey, render } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.getPlatformApiKey, async ({ app, org, params }) => render(app.store, await findApiKey(app.store, org.id, "platform", params.id)));
