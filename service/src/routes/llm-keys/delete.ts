import { routes } from "@keyservice/sdk";
import { deleteLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.deleteLlmKey, async ({ app, org, caller, params }) => deleteLlmKey(app.store, org.id, caller, params.id));
