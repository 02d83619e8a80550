import { routes } from "@keyservice/sdk";
import { listApiKeys } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.listGlobalApiKeys, async ({ app, org, query }) => listApiKeys(app.store, org.id, "global", query.limit, query.cursor));
