import { routes } from "@keyservice/sdk";
import { deleteApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.deletePlatformApiKey, async ({ org, caller, params, write }) => write((tx) => deleteApiKey(tx, org.id, caller, "platform", params.id)));
