/**
 * check() of every resource kind, fuzzed with fast-check (fixed seed): valid inputs derived from
 * the sdk's create-request schemas plus the provider's own knobs, near-valid ones (each field wrong
 * in type, length, range or format; extra and prototype keys; unicode, NUL, long strings; the
 * preview's unknown marker) and arbitrary olds. check() is pure but for config: no service needed.
 *
 *   KEYSERVICE_CHECK_FUZZ_RUNS (cases per kind, default 2,000), KEYSERVICE_CHECK_FUZZ_SEED (default fixed).
 */
import { CreateDeploymentRequest, CreateGlobalApiKeyRequest, CreateLlmKeyRequest, CreateMemberRequest, CreatePlatformApiKeyRequest } from "@keyservice/sdk";
import type { CheckResult, ResourceKind } from "@keyservice/pulumi/runtime";
// Internal, but pure: what create and update compute from the checked inputs.
import { nextRotationAt } from "@keyservice/pulumi/dist/runtime/rotation";
import fc from "fast-check";
import { z } from "zod";
import { facetsOf, type JsonSchema, jsonSchemaOf } from "../fuzz/json-schema";
import { PROTO_KEYS as PROTOTYPE_KEYS, withOwnKey } from "../fuzz/own-keys";
import { runtime } from "./runtime-helpers";

const RUNS = Number(process.env.KEYSERVICE_CHECK_FUZZ_RUNS ?? 2_000);
const SEED = Number(process.env.KEYSERVICE_CHECK_FUZZ_SEED ?? 20260613);
jest.setTimeout(Math.max(60_000, RUNS * 20));

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Planted in every secret the fuzzer hands check(): no failure may carry it. */
const SECRET = "zzSECRETzz";
const secretish = fc.string({ unit: "grapheme-ascii", maxLength: 12 }).map((s) => `${SECRET}${s}${SECRET}`);

type Props = Record<string, unknown>;

/** One resource kind: its create request (body field → resource property) and what else it takes. */
interface KindSpec {
  kind: ResourceKind;
  request: z.ZodType;
  fields: Record<string, string>;
  /** Every input property the resource declares (its Args, plus what the class sets). */
  declared: string[];
  /** The provider's own knobs: rotation (API keys, members) and adoption (API keys). */
  rotation: boolean;
  adoption: boolean;
  /** Properties that hold secrets: their failures go to the resource as a whole (""). */
  secrets: string[];
  /** The defaults the resource documents (`@default`), applied before the request is checked. */
  defaults: Props;
}

/** Set by every resource class (see provider/src/managed-by.ts). */
const MANAGED_BY = "managedBy";
const ROTATION = ["rotationTriggers", "rotateAfter", "rotationGracePeriod", MANAGED_BY];
const API_KEY = ["name", "description", "active", "expiresAt", "adoptExisting", ...ROTATION];
const API_KEY_FIELDS = { name: "name", description: "description", isActive: "active", expiresAt: "expiresAt" };

const KINDS: KindSpec[] = [
  {
    kind: "GlobalApiKey",
    request: CreateGlobalApiKeyRequest,
    fields: { ...API_KEY_FIELDS, allowAllDeployments: "allowAllDeployments", deploymentIds: "deploymentIds" },
    declared: [...API_KEY, "allowAllDeployments", "deploymentIds"],
    rotation: true,
    adoption: true,
    secrets: ["rotationTriggers"],
    defaults: { active: true, allowAllDeployments: false, deploymentIds: [] },
  },
  {
    kind: "PlatformApiKey",
    request: CreatePlatformApiKeyRequest,
    fields: { ...API_KEY_FIELDS, permission: "permission" },
    declared: [...API_KEY, "permission"],
    rotation: true,
    adoption: true,
    secrets: ["rotationTriggers"],
    defaults: { active: true, permission: "read" },
  },
  { kind: "LlmKey", request: CreateLlmKeyRequest, fields: { provider: "provider", label: "label", apiKey: "apiKey" }, declared: ["provider", "label", "apiKey", MANAGED_BY], rotation: false, adoption: false, secrets: ["apiKey"], defaults: {} },
  { kind: "Deployment", request: CreateDeploymentRequest, fields: { name: "name", isActive: "active" }, declared: ["name", "active", MANAGED_BY], rotation: false, adoption: false, secrets: [], defaults: { active: true } },
  { kind: "Member", request: CreateMemberRequest, fields: { name: "name", role: "role" }, declared: ["name", "role", ...ROTATION], rotation: true, adoption: false, secrets: ["rotationTriggers"], defaults: { role: "member" } },
];

// ---- the provider's knobs, as the README states them -------------------------------------------

const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
/** "90d", "1h30m": seconds, or undefined for anything else. */
function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^(\d+[smhdw])+$/.test(value)) return undefined;
  return [...value.matchAll(/(\d+)([smhdw])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_S[unit], 0);
}
const MAX_GRACE_SECONDS = 604_800;

/** Whether a knob's value is one check must accept (the oracle for near-valid knob values). */
const knobValid: Record<string, (v: unknown) => boolean> = {
  rotationTriggers: (v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => ["string", "number", "boolean"].includes(typeof x)),
  rotateAfter: (v) => durationSeconds(v) !== undefined,
  rotationGracePeriod: (v) => {
    const s = durationSeconds(v);
    return s !== undefined && s <= MAX_GRACE_SECONDS;
  },
  adoptExisting: (v) => z.uuid().safeParse(v).success,
};

const duration = (maxSeconds: number) =>
  fc
    .oneof(
      fc.integer({ min: 0, max: maxSeconds }).map((s) => `${s}s`),
      fc.tuple(fc.integer({ min: 0, max: Math.floor(maxSeconds / 3600) }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${h}h${m}m`),
      fc.constantFrom("0s", "90d", "12h", "30m", "1h30m", "1w", "7d"),
    )
    .filter((d) => (durationSeconds(d) ?? Infinity) <= maxSeconds);

const validKnobs: Record<string, fc.Arbitrary<unknown>> = {
  rotationTriggers: fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(secretish, fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true })), { maxKeys: 4 }),
  rotateAfter: fc.oneof({ arbitrary: duration(10 * 365 * 86_400), weight: 5 }, fc.constantFrom("100000000d", "9".repeat(30) + "w", "1" + "0".repeat(400) + "s")),
  rotationGracePeriod: duration(MAX_GRACE_SECONDS),
  adoptExisting: fc.uuid(),
};

// ---- values no schema expects ------------------------------------------------------------------

const LONG = "x".repeat(100_000);
/** The prototype's keys, and the names of inherited methods a careless lookup would find. */
const PROTO_KEYS = [...PROTOTYPE_KEYS, "toString", "hasOwnProperty"];

/** A map whose own keys include a prototype name, as JSON.parse makes it (a literal would set the prototype). */
const protoMap = fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => withOwnKey(key, value));

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "💥".repeat(300), LONG, "null", "true", "1e309", "../..", "<script>", UNKNOWN.toUpperCase(), `${UNKNOWN} `),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, 1e308, -1, 0, 0.5, Infinity, NaN),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  protoMap,
);

/** Values just outside a field's schema: one past its length, another enum value, a broken format. */
function nearValid(prop: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  const { types, format, maxLength, maxItems, enum: values } = facetsOf(prop);
  if (types.includes("string")) {
    if (maxLength !== undefined) options.push(fc.constantFrom("a".repeat(maxLength + 1), "💥".repeat(maxLength)));
    options.push(fc.constantFrom("", " leading", "trailing ", ".", "..", "a\u0000b"));
    if (format === "date-time") options.push(fc.constantFrom("2026-13-01T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00", "+275760-09-13T00:00:00.000Z", "9999-12-31T23:59:59-14:00", "tomorrow"));
  }
  if (values) options.push(fc.constantFrom("not-one-of-them", String(values[0]).toUpperCase(), ` ${String(values[0])}`));
  if (types.includes("array")) {
    options.push(fc.constantFrom([null], ["x"], [UNKNOWN.slice(1)], new Array((maxItems ?? 1000) + 1).fill("01a20000-0000-7000-8000-000000000000"), "01a20000-0000-7000-8000-000000000000"));
  }
  if (types.includes("boolean")) options.push(fc.constantFrom("true", "yes", 1, 0));
  return options.length > 0 ? fc.oneof(...options) : hostile;
}

const nearValidKnob: Record<string, fc.Arbitrary<unknown>> = {
  rotationTriggers: fc.oneof(
    secretish,
    fc.array(secretish, { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.constant(null), fc.array(secretish, { maxLength: 2 }), secretish.map((s) => ({ s }))), { minKeys: 1, maxKeys: 3 }),
  ),
  rotateAfter: fc.constantFrom("soon", "90", "d", "1.5h", "1 h", "-1d", "1y", "90D", "1h 30m", ""),
  rotationGracePeriod: fc.constantFrom("8d", "2w", "604801s", "168h1s", "soon", "-0s", "", "1e3s"),
  adoptExisting: fc.constantFrom("legacy", "", UNKNOWN.slice(0, -1), "00000000-0000-0000-0000-00000000000g"),
};

// ---- the generators, per kind ------------------------------------------------------------------

interface Case {
  news: Props;
  olds: Props;
  /** The property given a value its own schema refuses, when one was. */
  bad?: string;
  /** Everything check is given passes the sdk's schema and the knobs' rules (extra keys aside). */
  valid: boolean;
  mutation: string;
}

/** The create request's fields (CreateGlobalApiKeyRequest's rule across fields is a check on the same object). */
function objectSchema(spec: KindSpec): z.ZodObject {
  if (!(spec.request instanceof z.ZodObject)) throw new Error(`${spec.kind}: the create request is not an object schema`);
  return spec.request;
}

/** A value its schema accepts, generated from the field's JSON schema and kept only if zod agrees. */
function validValue(schema: z.ZodType, prop: JsonSchema): fc.Arbitrary<unknown> {
  const { types, format, minLength, maxLength, enum: values } = facetsOf(prop);
  const options: fc.Arbitrary<unknown>[] = [];
  if (values) options.push(fc.constantFrom(...values));
  else if (format === "date-time") options.push(fc.date({ min: new Date("1970-01-01"), max: new Date("9999-01-01"), noInvalidDate: true }).map((d) => d.toISOString()));
  else if (types.includes("string")) {
    const min = minLength ?? 0;
    const max = maxLength ?? 64;
    options.push(fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, 40) }), fc.constant("é".repeat(max)), fc.string({ unit: "grapheme-ascii", minLength: Math.max(min, 1), maxLength: 12 }));
  }
  if (types.includes("boolean")) options.push(fc.boolean());
  if (types.includes("array")) options.push(fc.uniqueArray(fc.uuid(), { maxLength: 3 }));
  if (types.includes("null")) options.push(fc.constant(null));
  return fc.oneof(...options).filter((v) => schema.safeParse(v).success);
}

function generatorOf(spec: KindSpec): fc.Arbitrary<Case> {
  const shape = objectSchema(spec).shape as Record<string, z.ZodType>;
  const json = jsonSchemaOf(objectSchema(spec)) as { properties: Record<string, JsonSchema>; required?: string[] };
  const required = new Set(json.required ?? []);
  const fieldNames = Object.keys(spec.fields);

  // One body field: required ones always there, optional ones sometimes left out.
  const bodyField = (field: string) => {
    const value = validValue(shape[field], json.properties[field]);
    return required.has(field) ? value : fc.option(value, { nil: undefined, freq: 3 });
  };
  const knobNames = [...(spec.rotation ? ["rotationTriggers", "rotateAfter", "rotationGracePeriod"] : []), ...(spec.adoption ? ["adoptExisting"] : [])];
  const secretField = spec.kind === "LlmKey" ? { apiKey: fc.oneof(secretish, fc.constant(SECRET.repeat(400))) } : {};

  const validProps: fc.Arbitrary<Props> = fc
    .record({
      ...Object.fromEntries(fieldNames.map((f) => [spec.fields[f], bodyField(f)])),
      ...secretField,
      ...Object.fromEntries(knobNames.map((k) => [k, fc.option(validKnobs[k], { nil: undefined, freq: 2 })])),
      managedBy: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
    })
    .map(withoutUndefined)
    // Rules across fields (allowAllDeployments or deploymentIds): keep what the sdk accepts.
    .filter((props) => spec.request.safeParse(bodyOfProps(spec, props)).success);

  const targets = [...fieldNames.map((f) => spec.fields[f]), ...knobNames];
  const valueFor = (property: string): fc.Arbitrary<unknown> => {
    if (knobNames.includes(property)) return fc.oneof(nearValidKnob[property], hostile);
    const field = Object.keys(spec.fields).find((f) => spec.fields[f] === property)!;
    return fc.oneof(nearValid(json.properties[field]), hostile, ...(spec.secrets.includes(property) ? [fc.constantFrom(SECRET.repeat(500), `${SECRET}\u0000`, "")] : []));
  };
  const isValid = (property: string, value: unknown): boolean => {
    if (knobNames.includes(property)) return knobValid[property](value);
    const field = Object.keys(spec.fields).find((f) => spec.fields[f] === property)!;
    return shape[field].safeParse(value).success;
  };

  const olds: fc.Arbitrary<Props> = fc.oneof(
    fc.constant({}),
    validProps,
    fc.record(
      {
        rotationAnchor: fc.oneof(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date("2100-01-01") }).map((d) => d.toISOString()), fc.constant(""), hostile),
        rotationReason: fc.oneof(fc.constant("created"), hostile),
        rotationTriggers: fc.oneof(validKnobs.rotationTriggers, hostile),
        rotateAfter: fc.oneof(validKnobs.rotateAfter, hostile),
        adoptExisting: fc.oneof(fc.uuid(), hostile),
        name: hostile,
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.string({ maxLength: 12 }), hostile, { maxKeys: 5 }),
    protoMap as fc.Arbitrary<Props>,
  );

  const valid = fc.record({ news: validProps, olds }).map((c): Case => ({ ...c, valid: true, mutation: "valid" }));

  const oneBad = fc
    .tuple(validProps, olds, fc.constantFrom(...targets))
    .chain(([props, o, property]) => valueFor(property).map((value) => ({ props, o, property, value })))
    .map(({ props, o, property, value }): Case => {
      const news = { ...props, [property]: value };
      const fieldOk = isValid(property, value);
      return { news, olds: o, bad: fieldOk ? undefined : property, valid: fieldOk && spec.request.safeParse(bodyOfProps(spec, news)).success, mutation: `${property} = ${shown(value)}` };
    });

  const missing = fc.tuple(validProps, olds, fc.constantFrom(...targets)).map(([props, o, property]): Case => {
    const { [property]: _gone, ...news } = props;
    const field = Object.keys(spec.fields).find((f) => spec.fields[f] === property);
    const requiredField = field !== undefined && required.has(field) && !(property in spec.defaults);
    return { news, olds: o, bad: requiredField ? property : undefined, valid: !requiredField && spec.request.safeParse(bodyOfProps(spec, news)).success, mutation: `${property} missing` };
  });

  // The preview's unknown marker, whole or nested, in any property: never a failure for it.
  const unknowns = fc.tuple(validProps, olds, fc.subarray(targets, { minLength: 1 }), fc.boolean()).map(([props, o, names, nested]): Case => {
    const news = { ...props };
    for (const name of names) news[name] = nested && name === "rotationTriggers" ? { q: UNKNOWN } : nested && name === "deploymentIds" ? [UNKNOWN] : UNKNOWN;
    return { news, olds: o, valid: true, mutation: `unknown: ${names.join(", ")}${nested ? " (nested)" : ""}` };
  });

  // Keys the resource does not have, prototype names among them: never a throw, never a failure on them.
  const extra = fc.tuple(validProps, olds, fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ minLength: 1, maxLength: 20 })), hostile).map(([props, o, key, value]): Case => {
    const news = withOwnKey(key, value, props);
    return { news, olds: o, valid: false, mutation: `extra ${JSON.stringify(key)}` };
  });

  // Anything at all for the news: arbitrary JSON maps.
  const anything = fc.record({ news: fc.dictionary(fc.constantFrom(...targets, ...PROTO_KEYS, "x"), hostile, { maxKeys: 8 }), olds }).map((c): Case => ({ ...c, valid: false, mutation: "arbitrary map" }));

  return fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: oneBad, weight: 6 }, { arbitrary: missing, weight: 1 }, { arbitrary: unknowns, weight: 2 }, { arbitrary: extra, weight: 1 }, { arbitrary: anything, weight: 1 });
}

function withoutUndefined(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

/** The create request's body the provider would send, by the table of body field → property. */
function bodyOfProps(spec: KindSpec, props: Props): Props {
  const values = { ...spec.defaults, ...props };
  return withoutUndefined(Object.fromEntries(Object.entries(spec.fields).map(([field, property]) => [field, values[property]])));
}

function shown(value: unknown): string {
  const text = typeof value === "number" && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}… (${text.length})` : text;
}

/** Whether a failure carries the planted secret marker, or a piece of it (a quote cut short). */
function leaks(result: CheckResult<object>): boolean {
  return /SECRET/.test(JSON.stringify(result.failures ?? []));
}

// ---- the properties ----------------------------------------------------------------------------

for (const spec of KINDS) {
  const provider = runtime(spec.kind);

  test(`${spec.kind}.check: never throws, names only declared properties, never echoes a secret, accepts what is valid (${RUNS} cases, seed ${SEED})`, async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(generatorOf(spec), async (c) => {
        const result = (await provider.check(c.olds as never, c.news)) as CheckResult<Props>;
        const why = `${spec.kind} ${c.mutation}: ${JSON.stringify(result.failures ?? "accepted")}`;
        // Exactly one of inputs or a non-empty failures list.
        expect([result.inputs !== undefined, (result.failures?.length ?? 0) > 0]).toEqual(result.inputs !== undefined ? [true, false] : [false, true]);
        if (result.failures) {
          refused++;
          for (const failure of result.failures) {
            expect(["", ...spec.declared]).toContain(failure.property);
            expect(spec.secrets).not.toContain(failure.property);
            expect(typeof failure.reason).toBe("string");
            expect(failure.reason.length).toBeGreaterThan(0);
            // Never the engine's "keyservice could not check": check() itself must not have failed.
            expect(failure.reason).not.toMatch(/could not check/);
          }
          if (leaks(result)) throw new Error(`a failure carries a secret: ${why}`);
        } else {
          accepted++;
          const inputs = result.inputs!;
          if (spec.rotation) {
            // The plan is an instant and a reason: age and triggers can rotate from it.
            expect(typeof inputs.rotationAnchor).toBe("string");
            expect(Number.isNaN(Date.parse(inputs.rotationAnchor as string))).toBe(false);
            expect(typeof inputs.rotationReason).toBe("string");
            // What create and update will show as nextRotationAt: computable for any accepted rotateAfter.
            expect(() => nextRotationAt(inputs as never)).not.toThrow();
          }
        }
        if (c.valid && !result.inputs) throw new Error(`valid inputs refused: ${why}`);
        if (c.bad !== undefined) {
          if (!result.failures) throw new Error(`a bad ${c.bad} was accepted: ${why}`);
          const on = spec.secrets.includes(c.bad) ? "" : c.bad;
          if (!result.failures.some((f) => f.property === on)) throw new Error(`no failure on ${JSON.stringify(on)}: ${why}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Both sides of the verdict were exercised.
    expect(accepted).toBeGreaterThan(RUNS / 10);
    expect(refused).toBeGreaterThan(RUNS / 10);
  });
}
