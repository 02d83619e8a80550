import { routes } from "@keyservice/sdk";
import { createLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.createLlmKey, async ({ app, org, caller, body, write }) => write((tx) => createLlmKey(tx, app.keyring, org.id, caller, body)));
