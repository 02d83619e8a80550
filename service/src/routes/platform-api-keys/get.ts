import { routes } from "@keyservice/sdk";
import { getApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.getPlatformApiKey, async ({ db, org, params }) => getApiKey(db, org.id, "platform", params.id));
