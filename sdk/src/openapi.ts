import { z } from "zod";
import { ErrorBody } from "./errors";
import { type RouteDef, routes } from "./routes";

/** Builds the OpenAPI 3.1 document from the route table and its zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, def] of Object.entries(routes) as [string, RouteDef][]) {
    const params = [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const responses: Record<string, unknown> = {
      [String(def.status)]: def.response
        ? { description: "Success", content: { "application/json": { schema: toSchema(def.response, "output") } } }
        : { description: "Success, no body" },
      default: { description: "Error", content: { "application/json": { schema: toSchema(ErrorBody, "output") } } },
    };
    const op: Record<string, unknown> = {
      operationId: name,
      summary: def.summary,
      parameters: [
        ...params,
        ...(def.idempotent ? [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } }] : []),
      ],
      responses,
      ...(def.access === "public" ? { security: [] } : {}),
    };
    if (def.body) {
      op.requestBody = { required: true, content: { "application/json": { schema: toSchema(def.body, "input") } } };
    }
    (paths[def.path] ??= {})[def.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: { title: "keyservice", version: "1.0.0" },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}

function toSchema(schema: z.ZodType, io: "input" | "output"): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" });
}
