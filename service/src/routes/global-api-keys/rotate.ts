import { routes } from "@keyservice/sdk";
import { rotateApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.rotateGlobalApiKey, async ({ org, caller, params, body, write }) =>
  write((tx) => rotateApiKey(tx, org.id, caller, "global", params.id, body.gracePeriodSeconds)),
);
