import { routes } from "@keyservice/sdk";
import { updateApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.updatePlatformApiKey, async ({ org, caller, params, body, write }) =>
  write((tx) => updateApiKey(tx, org.id, caller, "platform", params.id, body)),
);
