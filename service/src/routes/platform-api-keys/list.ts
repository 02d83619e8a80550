import { routes } from "@keyservice/sdk";
import { listApiKeys } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.listPlatformApiKeys, async ({ app, org, query }) => listApiKeys(app.store, org.id, "platform", query.limit, query.cursor));
