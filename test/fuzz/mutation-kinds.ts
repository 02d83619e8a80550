import { z } from "zod";
import type { Facets } from "./json-schema";
import { hasProtoKey } from "./own-keys";

/** Every kind of mistake the API fuzzer makes: a run sends each at least once (see api.test.ts). */
export const MUTATION_KINDS = [
  "well-formed",
  "wrong type",
  "length",
  "range",
  "format",
  "enum",
  "missing field",
  "extra field",
  "unicode",
  "NUL",
  "long string",
  "proto keys",
  "instant out of range",
  "huge or negative number",
  "body not JSON",
  "query parameter",
  "repeated query parameter",
  "path parameter",
  "wrong content type",
  "duplicate header",
  "missing header",
  "malformed bearer",
  "idempotency key",
] as const;

export type MutationKind = (typeof MUTATION_KINDS)[number];

/** A string at least this long is a "long string". */
const LONG_STRING = 10_000;

/** The syntax of the formats the routes use; values beyond it are "format" mistakes. */
const FORMATS: Record<string, z.ZodType> = { uuid: z.uuid(), "date-time": z.iso.datetime({ offset: true }) };

/** What is odd about a piece of text, whatever it stands for: NUL, characters beyond ASCII, length. */
export function kindsOfText(text: string): MutationKind[] {
  const kinds: MutationKind[] = [];
  if (text.includes("\u0000")) kinds.push("NUL");
  if (/[^\x00-\x7f]/.test(text)) kinds.push("unicode");
  if (text.length >= LONG_STRING) kinds.push("long string");
  return kinds;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/**
 * What is wrong with a value sent for a property of these facets; `valid` is whether the
 * property's own zod schema accepts it (an instant can be well written yet out of range).
 */
export function kindsOfValue(value: unknown, facets: Facets, valid: boolean): MutationKind[] {
  const kinds: MutationKind[] = [];
  const type = jsonType(value);
  const typeAllowed = facets.types.includes(type) || (type === "integer" && facets.types.includes("number"));
  if (facets.types.length > 0 && !typeAllowed) kinds.push("wrong type");
  if (hasProtoKey(value)) kinds.push("proto keys");
  if (facets.enum && !facets.enum.includes(value)) kinds.push("enum");
  if (Array.isArray(value) && facets.maxItems !== undefined && value.length > facets.maxItems) kinds.push("length");
  if (typeof value === "number") {
    if ((facets.maximum !== undefined && value > facets.maximum) || (facets.minimum !== undefined && value < facets.minimum)) kinds.push("range");
    if (value < 0 || Math.abs(value) > Number.MAX_SAFE_INTEGER) kinds.push("huge or negative number");
  }
  if (typeof value === "string") {
    kinds.push(...kindsOfText(value));
    if ((facets.maxLength !== undefined && value.length > facets.maxLength) || value.length < (facets.minLength ?? 0)) kinds.push("length");
    const syntax = facets.format ? FORMATS[facets.format] : undefined;
    if (syntax && !syntax.safeParse(value).success && facets.format !== "date-time") kinds.push("format");
  }
  // An instant refused: a date beyond its calendar, its years or its offsets (a number is a wrong type).
  if (facets.format === "date-time" && !valid && typeof value === "string") kinds.push(/^[+-]?\d{4,6}-/.test(value) ? "instant out of range" : "format");
  return kinds;
}
