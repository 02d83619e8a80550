import { ApiError, routes } from "@keyservice/sdk";
import { verifyLlmKey } from "../../domain/llm-keys";
import { defineRoute } from "../define";

/** A guessing oracle for the stored secret: metered per caller, across every instance. */
export default defineRoute(routes.verifyLlmKey, async ({ app, db, org, caller, params, body, reply }) => {
  const verdict = await app.llmVerifications.hit(caller.id);
  if (verdict.limited) {
    reply.header("retry-after", String(Math.max(1, Math.ceil((verdict.windowEnd - Date.now()) / 1000))));
    throw new ApiError("rate_limited", "Too many LLM-key verifications by this caller; retry after the time in Retry-After.");
  }
  return verifyLlmKey(db, app.keyring, org.id, params.id, body.apiKey);
});
