import { routes } from "@keyservice/sdk";
import { verifyLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.verifyLlmKey, async ({ app, db, org, params, body }) => verifyLlmKey(db, app.keyring, org.id, params.id, body.apiKey));
