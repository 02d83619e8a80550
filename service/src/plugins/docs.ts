import swagger, { type StaticDocumentSpec } from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { openApiDocument } from "@keyservice/sdk";
import fp from "fastify-plugin";

/**
 * The API reference at /docs: Swagger UI over the same OpenAPI document as /openapi.json (built
 * from the route table, not from the registered routes), its files served from node_modules so it
 * works offline, under a CSP of its own.
 */
export const docsPlugin = fp(
  async (app) => {
    // The library types static documents as OpenAPI 2 or 3.0; ours is 3.1, which Swagger UI renders.
    const document = openApiDocument() as unknown as StaticDocumentSpec["document"];
    await app.register(swagger, { mode: "static", specification: { document } });
    await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true, uiConfig: { docExpansion: "list", deepLinking: false } });
  },
  { name: "keyservice-docs" },
);
