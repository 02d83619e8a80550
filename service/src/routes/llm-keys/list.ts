import { routes } from "@keyservice/sdk";
import { listLlmKeys } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.listLlmKeys, async ({ app, org, query }) => listLlmKeys(app.store, app.keyring, org.id, query.limit, query.cursor));
