import { z } from "zod";
import { ErrorBody } from "./errors";
import { type RouteDef, routes } from "./routes";
import type { OpenApiDocument } from "./schemas/health";
import { PATH_PARAMS, pathParamNames } from "./schemas/params";

function toSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return json;
}

/** The query parameters of a route, one OpenAPI parameter per property of its query schema. */
function queryParameters(def: RouteDef): Record<string, unknown>[] {
  if (!def.query) return [];
  const json = toSchema(def.query, "input") as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({ name, in: "query", required: json.required?.includes(name) ?? false, schema }));
}

/** Builds the OpenAPI 3.1 document from the route table and its zod schemas (served at /openapi.json). */
export function openApiDocument(): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, def] of Object.entries(routes) as [string, RouteDef][]) {
    const params = pathParamNames(def.path).map((p) => ({ name: p, in: "path", required: true, schema: toSchema(PATH_PARAMS[p], "input") }));
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
        ...queryParameters(def),
        ...(def.idempotent ? [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 255 } }] : []),
      ],
      responses,
      ...(def.access === "public" ? { security: [] } : {}),
    };
    if (def.body) op.requestBody = { required: true, content: { "application/json": { schema: toSchema(def.body, "input") } } };
    (paths[def.path] ??= {})[def.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: { title: "keyservice", version: "1.0.0", description: "API keys as code: global API keys, platform API keys, LLM keys, and the orgs and members that hold them." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
