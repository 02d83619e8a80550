import { routes } from "@keyservice/sdk";
import { listLlmKeys } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.listLlmKeys, async ({ app, db, org, query }) => listLlmKeys(db, app.keyring, org.id, query.limit, query.cursor));
