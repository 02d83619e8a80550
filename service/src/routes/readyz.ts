import { ApiError, routes } from "@keyservice/sdk";
import { definePublicRoute } from "./define";

/** Readiness: 200 while the store answers, 503 while it does not (a balancer takes the instance out). */
export default definePublicRoute(routes.ready, async ({ app }) => {
  try {
    await app.store.ping();
  } catch {
    throw new ApiError("unavailable", "The store is unreachable; this instance cannot serve requests right now.");
  }
  return { status: "ready" as const, store: app.store.kind };
});
