import { routes } from "@keyservice/sdk";
import { createApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.createGlobalApiKey, async ({ org, caller, body, write }) => write((tx) => createApiKey(tx, org.id, caller, "global", body)));
