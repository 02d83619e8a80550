import type { z } from "zod";
import type { CheckFailure, EngineProps } from "./types";
import { isUnknown } from "./unknown";

/**
 * One schema to check, with the body built from the resource's properties and, where a body field
 * is named differently (`isActive`), the property it came from (`active`).
 */
export interface BodyCheck {
  schema: z.ZodObject;
  /** The body as the provider would send it; values may be unknown (preview), and are then skipped. */
  body: Readonly<Record<string, unknown>>;
  /** Body field → resource property, for the fields whose names differ. */
  from?: Readonly<Record<string, string>>;
}

export interface FailureOptions {
  /**
   * Properties that are or may hold secrets (an LLM key's `apiKey`, `rotationTriggers`): their
   * values are never quoted, and their failures are reported on the resource as a whole, because
   * the engine prints the value of a failing property beside the reason (secrets included).
   */
  secrets?: readonly string[];
}

/**
 * Validates each body with its schema (the sdk's request schemas, or the provider's own), and
 * turns every zod issue into one sentence on the resource property that caused it, quoting the
 * value. With an unknown value anywhere (preview), each known field is checked on its own and
 * rules across fields wait for `up`. One failure per property: the first.
 */
export function failuresOf(values: EngineProps, checks: readonly BodyCheck[], options: FailureOptions = {}): CheckFailure[] {
  const secrets = new Set(options.secrets ?? []);
  const failures = new Map<string, CheckFailure>();
  for (const check of checks) {
    for (const issue of issuesOf(check)) {
      const [field, ...rest] = issue.path.map(String);
      // A rule about the body as a whole (no path) concerns the resource as a whole.
      if (field === undefined) {
        failures.set("", { property: "", reason: `${reasonOf(issue, check.body)}.` });
        continue;
      }
      const property = check.from?.[field] ?? field;
      if (failures.has(property)) continue;
      failures.set(property, failureOf(property, rest, issue, values[property], check.body[field], field, secrets.has(property)));
    }
  }
  return [...failures.values()];
}

function issuesOf(check: BodyCheck): z.core.$ZodIssue[] {
  const fields = Object.entries(check.body);
  if (!fields.some(([, value]) => isUnknown(value))) return check.schema.safeParse(check.body).error?.issues ?? [];
  const known = fields.filter(([field, value]) => !isUnknown(value) && field in check.schema.shape);
  return known.flatMap(([field, value]) => {
    const issues: z.core.$ZodIssue[] = check.schema.shape[field].safeParse(value).error?.issues ?? [];
    return issues.map((issue) => ({ ...issue, path: [field, ...issue.path] }));
  });
}

function failureOf(property: string, rest: string[], issue: z.core.$ZodIssue, value: unknown, sent: unknown, field: string, secret: boolean): CheckFailure {
  const where = property + rest.map((key) => (/^\d+$/.test(key) ? `[${key}]` : `[${JSON.stringify(key)}]`)).join("");
  const inner = at(value, rest);
  const reason = reasonOf(issue, at(sent, rest));
  if (secret) return { property: "", reason: `${where} ${reason}.` };
  if (inner === undefined) return { property, reason: `${where} ${reason}.` };
  // A field sent under another name and in another form (rotationGracePeriod "8d" as gracePeriodSeconds 691200) says both.
  const converted = rest.length === 0 && field !== property && sent !== value ? ` (sent as ${field} ${quote(sent)})` : "";
  return { property, reason: `${where} ${quote(inner)}${converted} ${reason}.` };
}

/** The value at a path inside a list or map, if there is one. */
function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** The sdk's messages are written for people ("must not be empty"); zod's own defaults are rephrased. */
function reasonOf(issue: z.core.$ZodIssue, input: unknown): string {
  if (/^[a-z]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return input === undefined ? "is required" : `must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`} (it is ${kindOf(input)})`;
    case "invalid_value":
      return `must be ${oneOf(issue.values.map((v) => JSON.stringify(v)))}`;
    case "too_small":
      return issue.origin === "string" ? `must be at least ${issue.minimum} characters` : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string" ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum}`;
    case "unrecognized_keys":
      return `has unknown fields ${issue.keys.join(", ")}`;
    default:
      return "is not valid";
  }
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  boolean: "true or false",
  number: "a number",
  int: "a whole number",
  array: "a list",
  object: "a map of names to values",
  record: "a map of names to values",
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "boolean") return "a boolean";
  return `a ${typeof value}`;
}

function oneOf(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

const MAX_QUOTE = 80;

/** The value as JSON, shortened when long (a 5000-character name is not worth repeating). */
function quote(value: unknown): string {
  // JSON has no Infinity: a 400-digit duration in seconds would read "null".
  const text = typeof value === "number" && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length <= MAX_QUOTE ? text : `${text.slice(0, MAX_QUOTE)}… (${text.length} characters)`;
}

/**
 * The engine's values once `failuresOf` found nothing wrong with them, typed as the resource's
 * inputs. The one place raw values become typed; during preview a field may still be unknown.
 */
export function checked<I>(values: EngineProps): I {
  return values as I;
}
