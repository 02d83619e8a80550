import { routes } from "@keyservice/sdk";
import { getLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.getLlmKey, async ({ app, db, org, params }) => getLlmKey(db, app.keyring, org.id, params.id));
