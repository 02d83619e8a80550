import { openApiDocument, type RouteName, routes } from "@keyservice/sdk";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

/**
 * Checks a response against the OpenAPI document the service serves: the operation's schema for
 * its success status, the error schema (`default`) for any other. Compiled once per operation.
 */
const document = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content?: { "application/json": { schema: object } } }> }>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction | null>();

function validator(route: RouteName, status: number): ValidateFunction | null {
  const def = routes[route];
  const key = `${route} ${status}`;
  if (!compiled.has(key)) {
    const responses = document.paths[def.path][def.method.toLowerCase()].responses;
    const response = responses[String(status)] ?? responses.default;
    const schema = response.content?.["application/json"].schema;
    compiled.set(key, schema ? ajv.compile(schema) : null);
  }
  return compiled.get(key)!;
}

/** The ways a response breaks the document (empty when it matches). */
export function contractViolations(route: RouteName, status: number, body: unknown): string[] {
  const validate = validator(route, status);
  if (!validate) return body === undefined ? [] : [`${route} ${status}: the document declares no body, yet one came`];
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${route} ${status}: ${e.instancePath || "(root)"} ${e.message}`);
}
