import { routes } from "@keyservice/sdk";
import { definePublicRoute } from "./define";

export default definePublicRoute(routes.health, async () => ({ status: "ok" as const }));
