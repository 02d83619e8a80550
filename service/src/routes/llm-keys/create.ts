import { routes } from "@keyservice/sdk";
import { createLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.createLlmKey, async ({ app, org, caller, body }) => createLlmKey(app.store, app.keyring, org.id, caller, body));
