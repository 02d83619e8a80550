import { routes } from "@keyservice/sdk";
import { findApiKey, render } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.getGlobalApiKey, async ({ app, org, params }) => render(app.store, await findApiKey(app.store, org.id, "global", params.id)));
