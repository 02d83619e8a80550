import { routes } from "@keyservice/sdk";
import { verifyKey } from "../../domain/verify";
import { defineRoute } from "../define";

/** Says whether a key is usable, without using it. */
export default defineRoute(routes.verifyKey, async ({ app, org, body }) => {
  const result = await verifyKey(app.resolver, org.id, body.key);
  app.metrics.verifications.inc({ code: result.code });
  return result;
});
