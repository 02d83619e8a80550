import { routes } from "@keyservice/sdk";
import { deleteLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.deleteLlmKey, async ({ org, caller, params, write }) => write((tx) => deleteLlmKey(tx, org.id, caller, params.id)));
