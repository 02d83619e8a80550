import { routes } from "@keyservice/sdk";
import { getApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.getGlobalApiKey, async ({ db, org, params }) => getApiKey(db, org.id, "global", params.id));
