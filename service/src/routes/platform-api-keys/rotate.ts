import { routes } from "@keyservice/sdk";
import { rotateApiKey } from "../../domain/api-keys";
import { defineRoute } from "../define";

export default defineRoute(routes.rotatePlatformApiKey, async ({ app, org, caller, params, body }) =>
  rotateApiKey(app.store, org.id, caller, "platform", params.id, body.gracePeriodSeconds),
);
