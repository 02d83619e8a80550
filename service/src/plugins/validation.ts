import type { FastifySchemaCompiler, FastifySchemaValidationError } from "fastify";
import fp from "fastify-plugin";
import { validatorCompiler } from "fastify-type-provider-zod";
import { z } from "zod";

const NUL_MESSAGE = "must not contain the NUL character (U+0000)";

/** Where a value holds a string with U+0000 (PostgreSQL cannot store one: neither store accepts it). */
function nulPaths(value: unknown, path: (string | number)[] = [], found: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === "string") {
    if (value.includes("\u0000")) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, [...path, i], found));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) nulPaths(item, [...path, key], found);
  }
  return found;
}

/** Whether any string in a value holds U+0000: the check every request passes, so it allocates nothing. */
function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (value !== null && typeof value === "object") {
    for (const key in value) if (Object.hasOwn(value, key) && hasNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * The zod validator compiler, after one rule that holds for every route: no text in a request
 * contains U+0000. Refused as a 422 naming the field, like any other bad value.
 */
const noNul = z.unknown().superRefine((value, ctx) => {
  for (const path of nulPaths(value)) ctx.addIssue({ code: "custom", path, message: NUL_MESSAGE });
});

const compiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route);
  const guard = validatorCompiler({ ...route, schema: noNul });
  return (data: unknown) => {
    // A plain walk first (every request passes it); zod only words the refusal. The zod compiler
    // is synchronous: it answers { value } or { error }.
    if (hasNul(data)) return guard(data) as { error: Error | FastifySchemaValidationError[] };
    return validate(data);
  };
};

/**
 * Fastify validates every route's path parameters, query and body with the sdk's zod schemas (the
 * zod validator compiler); plugins/errors.ts turns a failure into the 422 that names each field.
 */
export const validationPlugin = fp(
  async (app) => {
    app.setValidatorCompiler(compiler);
    app.decorateRequest("auth", null);
    app.decorateRequest("platformAdmin", null);
  },
  { name: "keyservice-validation" },
);
