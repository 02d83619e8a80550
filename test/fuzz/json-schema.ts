import { z } from "zod";

/** The parts of a zod schema's JSON schema (as `z.toJSONSchema` writes it) the fuzzers read. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** The JSON schema of what a caller sends (`io: "input"`: defaulted fields optional); refinements are left out. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** What a property accepts, its `anyOf` / `oneOf` branches merged: a nullable field keeps its format and bounds. */
export type Facets = Pick<JsonSchema, "format" | "maxLength" | "minLength" | "maxItems" | "minimum" | "maximum" | "enum"> & {
  /** Every JSON type a branch allows ("null" for a nullable field). */
  types: string[];
};

/**
 * A property's facets, looked for on the property itself and then on its branches: zod writes a
 * nullable field as `anyOf: [{ type: "string", format: "date-time" }, { type: "null" }]`.
 */
export function facetsOf(prop: JsonSchema): Facets {
  const branches = [prop, ...(prop.anyOf ?? []), ...(prop.oneOf ?? [])];
  const first = <K extends keyof JsonSchema>(key: K): JsonSchema[K] => branches.find((b) => b[key] !== undefined)?.[key];
  const constant = branches.find((b) => "const" in b);
  return {
    types: [...new Set(branches.flatMap((b) => [b.type ?? []].flat()))],
    format: first("format"),
    maxLength: first("maxLength"),
    minLength: first("minLength"),
    maxItems: first("maxItems"),
    minimum: first("minimum"),
    maximum: first("maximum"),
    // An enum, or a constant (a literal): the values allowed.
    enum: first("enum") ?? (constant ? [constant.const] : undefined),
  };
}
