import { routes } from "@keyservice/sdk";
import { defineRoute } from "../define";

// From memory once read, evicted by every write that changes it (domain/api-key-reader.ts).
export default defineRoute(routes.getGlobalApiKey, async ({ app, org, params }) => app.apiKeys.get(org.id, "global", params.id));
