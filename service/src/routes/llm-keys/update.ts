import { routes } from "@keyservice/sdk";
import { updateLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.updateLlmKey, async ({ app, org, caller, params, body, write }) =>
  write((tx) => updateLlmKey(tx, app.keyring, org.id, caller, params.id, body)),
);
