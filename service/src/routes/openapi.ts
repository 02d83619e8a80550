import { openApiDocument, routes } from "@keyservice/sdk";
import { definePublicRoute } from "./define";

// Built once: the route table does not change while the process runs.
const document = openApiDocument();

/** The API as OpenAPI 3.1, generated from the route table the service itself is registered from. */
export default definePublicRoute(routes.openapi, async () => document);
