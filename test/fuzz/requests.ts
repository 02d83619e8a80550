import { pathParamNames, type RouteDef, type RouteName, routes } from "@keyservice/sdk";
import fc from "fast-check";
import { z } from "zod";
import { type Facets, facetsOf, jsonSchemaOf } from "./json-schema";
import { kindsOfText, kindsOfValue, type MutationKind } from "./mutation-kinds";
import { jsonWithKey, PROTO_KEYS, withOwnKey } from "./own-keys";

/** A request as the fuzzer sends it: everything a client could get wrong. */
export interface FuzzRequest {
  route: RouteName;
  /** What was changed from the well-formed call, for the report and the checks. */
  mutation: string;
  /** The kinds of mistake it carries, for the coverage check. */
  kinds: MutationKind[];
  /** The field the mutation aimed at (`name`, `query.limit`, `params.id`), when it aimed at one. */
  field?: string;
  /** The mutated value passes its field's own schema: a refusal may then rightly name another field (a rule across fields). */
  fieldValid?: boolean;
  /** Why it must be refused (a 4xx), when it must: the route's own body schema refuses the body, or a header it needs is missing. */
  mustRefuse?: string;
  /** The one status that is right for it, when only one is (401 to a request without credentials). */
  status?: number;
  method: string;
  path: string;
  /** Every header sent but host, connection and content-length: a missing one is missing on the wire. */
  headers: Record<string, string | string[]>;
  /** The body's text, as sent. */
  body?: string;
}

/** A well-formed call of a route: path parameters, query and body that pass validation. */
export interface BaseCall {
  params: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  token?: string;
}

const LONG = "x".repeat(100_000);

/** Values no schema expects: wrong types, control characters, lone surrogates, huge and odd numbers, prototype keys. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "💥".repeat(300), LONG, "null", "true", "1e309", "-0", "../..", "%2F", "<script>alert(1)</script>"),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, 1e308, -1, 0, 0.5),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 }),
  fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.constantFrom({ admin: true }, { prototype: { admin: true } })).map(([key, value]) => withOwnKey(key, value)),
);

/** Instants a date-time field refuses, or takes only at its edge: beyond the years 0000-9999 in UTC, impossible dates, times and offsets, numbers. */
const INSTANTS = fc.constantFrom<unknown>(
  "0000-01-01T00:00:00Z",
  "0000-01-01T00:00:00+00:01",
  "-000001-12-31T23:59:59Z",
  "9999-12-31T23:59:59.999Z",
  "9999-12-31T23:59:59-00:01",
  "10000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "+275760-09-13T00:00:00.001Z",
  "2026-13-01T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "2026-02-29T00:00:00Z",
  "2026-01-01T24:00:00Z",
  "2016-12-31T23:59:60Z",
  "2026-01-01T00:00:00+25:00",
  "2026-01-01T00:00:00+24:00",
  "2026-01-01T00:00:00+02",
  "2026-01-01",
  "2026-01-01T00:00:00",
  "tomorrow",
  0,
  1767225600000,
  -1,
  8.64e15 + 1,
);

/** Values just outside what a property's facets allow: one past its length or range, another enum value, a broken format. */
function nearValid(facets: Facets): fc.Arbitrary<unknown> {
  const options: fc.MaybeWeightedArbitrary<unknown>[] = [];
  const { types } = facets;
  if (types.includes("string")) {
    if (facets.maxLength !== undefined) options.push(fc.constantFrom("a".repeat(facets.maxLength + 1), "💥".repeat(facets.maxLength)));
    if (facets.minLength !== undefined && facets.minLength > 0) options.push(fc.constant(""));
    // An instant has the most ways of being wrong: they get most of its field's draws.
    if (facets.format === "date-time") options.push({ arbitrary: INSTANTS, weight: 3 });
    if (facets.format === "uuid") options.push(fc.constantFrom("not-a-uuid", "01a20000-0000-7000-8000-00000000000", "00000000-0000-0000-0000-000000000000"));
    options.push(fc.constantFrom(" leading", "trailing ", ".", ".."));
  }
  if (types.includes("number") || types.includes("integer")) {
    if (facets.maximum !== undefined) options.push(fc.constant(facets.maximum + 1));
    if (facets.minimum !== undefined) options.push(fc.constant(facets.minimum - 1));
    options.push(fc.constantFrom(1.5, -1, 1e21, Number.MAX_SAFE_INTEGER + 2));
  }
  if (facets.enum) options.push(fc.constantFrom("not-one-of-them", String(facets.enum[0]).toUpperCase(), ` ${String(facets.enum[0])}`));
  if (types.includes("array")) options.push(fc.constantFrom([null], ["x"], new Array((facets.maxItems ?? 1000) + 1).fill("01a20000-0000-7000-8000-000000000000")));
  if (types.includes("boolean")) options.push(fc.constantFrom("true", 1, 0));
  return options.length > 0 ? fc.oneof(...options) : hostile;
}

/** The schema of one property of an object body schema. */
function fieldSchema(body: z.ZodType | undefined, name: string): z.ZodType | undefined {
  return body instanceof z.ZodObject ? (body.shape as Record<string, z.ZodType>)[name] : undefined;
}

/** Why a route's own body schema refuses this text, or undefined when it accepts it. */
function bodyRefusal(schema: z.ZodType, text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "a body that is not JSON";
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : `a body its schema refuses (at ${parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ")})`;
}

function pathOf(def: RouteDef, params: Record<string, string>): string {
  return def.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? ""));
}

function queryString(query: Record<string, string | string[]> | undefined): string {
  if (!query) return "";
  const parts = Object.entries(query).flatMap(([k, v]) => [v].flat().map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`));
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

/** A value as query text: strings as they are, anything else as JSON. */
function queryText(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

function auth(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** What a request changes from the well-formed call; a header set to undefined is left out. */
interface Parts {
  params?: Record<string, string>;
  query?: Record<string, string | string[]>;
  /** JSON, or text sent as it is. */
  body?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  field?: string;
  fieldValid?: boolean;
  mustRefuse?: string;
  status?: number;
}

/** Every kind of request the fuzzer makes of one route, from its well-formed call and its schemas. */
export function requestsOf(route: RouteName, base: BaseCall): fc.Arbitrary<FuzzRequest> {
  const def = routes[route] as RouteDef;
  const body = def.body ? jsonSchemaOf(def.body) : undefined;
  const props = Object.entries(body?.properties ?? {});
  const queryProps = Object.entries((def.query ? jsonSchemaOf(def.query) : undefined)?.properties ?? {});
  const params = pathParamNames(def.path);
  const make = (mutation: string, kinds: MutationKind[], parts: Parts): FuzzRequest => {
    const value = "body" in parts ? parts.body : base.body;
    const text = value === undefined || typeof value === "string" ? value : JSON.stringify(value);
    const headers: Parts["headers"] = { ...auth(base.token), ...(text === undefined ? {} : { "content-type": "application/json" }), ...parts.headers };
    return {
      route,
      mutation,
      kinds,
      field: parts.field,
      fieldValid: parts.fieldValid,
      mustRefuse: parts.mustRefuse ?? (def.body && text !== undefined ? bodyRefusal(def.body, text) : undefined),
      status: parts.status,
      method: def.method,
      path: pathOf(def, parts.params ?? base.params) + queryString(parts.query ?? base.query),
      headers: Object.fromEntries(Object.entries(headers).filter((h): h is [string, string | string[]] => h[1] !== undefined)),
      body: text,
    };
  };
  const kinds: fc.MaybeWeightedArbitrary<FuzzRequest>[] = [fc.constant(make("well-formed", ["well-formed"], {}))];
  if (props.length > 0) {
    kinds.push({
      // One field wrong is the richest kind (type, length, range, format, instants...): it gets five shares.
      weight: 5,
      arbitrary: fc.constantFrom(...props).chain(([name, prop]) => {
        const facets = facetsOf(prop);
        return fc.oneof(nearValid(facets), hostile).map((generated) => {
          // Judged as it goes on the wire: JSON turns Infinity into null, which a nullable field accepts.
          const value = generated === undefined ? undefined : (JSON.parse(JSON.stringify(generated)) as unknown);
          const valid = fieldSchema(def.body, name)?.safeParse(value).success ?? false;
          return make(`body.${name} = ${JSON.stringify(value)?.slice(0, 60)}`, kindsOfValue(value, facets, valid), { body: { ...base.body, [name]: value }, field: name, fieldValid: valid });
        });
      }),
    });
    const required = body?.required ?? [];
    if (required.length > 0) {
      kinds.push(
        fc.constantFrom(...required).map((name) => {
          const { [name]: _gone, ...rest } = base.body ?? {};
          return make(`body.${name} missing`, ["missing field"], { body: rest, field: name });
        }),
      );
    }
  }
  if (def.body) {
    const json = JSON.stringify(base.body ?? {});
    kinds.push(
      fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ minLength: 1, maxLength: 20 })), hostile).map(([key, value]) =>
        make(`extra body field ${JSON.stringify(key)}`, ["extra field", ...(PROTO_KEYS.includes(key) ? (["proto keys"] as const) : []), ...kindsOfValue(value, { types: [] }, true)], { body: jsonWithKey(key, value, base.body), field: key }),
      ),
      hostile.map((value) => make(`body = ${JSON.stringify(value)?.slice(0, 60)}`, kindsOfValue(value, { types: ["object"] }, false), { body: JSON.stringify(value) ?? "null" })),
      fc.constantFrom("{", '{"name":', "[1,2", "nul", '{"a":1}{"b":2}', `{"name":"${LONG}"`, "\u0000").map((text) => make("body is not JSON", ["body not JSON", ...kindsOfText(text)], { body: text })),
      fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/xml").map((type) =>
        make(`content-type ${type}`, ["wrong content type"], { body: json, headers: { "content-type": type } }),
      ),
      fc.constant(make("content-type missing", ["missing header"], { body: json, headers: { "content-type": undefined }, mustRefuse: "a body without a Content-Type" })),
      fc.constantFrom<string[]>(["application/json", "application/json"], ["application/json", "text/plain"], ["text/plain", "application/json"]).map((types) =>
        make(`content-type ${types.join(" and ")}`, ["duplicate header"], { body: json, headers: { "content-type": types } }),
      ),
    );
  }
  if (queryProps.length > 0 || def.method === "GET") {
    const nearValidQuery = queryProps.map(([, prop]) => nearValid(facetsOf(prop)).map(queryText));
    kinds.push(
      fc.tuple(fc.constantFrom(...queryProps.map(([n]) => n), "unknown", "__proto__"), fc.oneof(fc.constantFrom("-1", "0", "101", "1e309", "", "NaN", "1.5", LONG, "\u0000", "%zz"), fc.string({ maxLength: 30 }), ...nearValidQuery)).map(([name, value]) =>
        make(`query ${name}=${value.slice(0, 40)}`, ["query parameter", ...kindsOfText(value), ...(name === "__proto__" ? (["proto keys"] as const) : [])], { query: { ...base.query, [name]: value }, field: `query.${name}` }),
      ),
      fc.constantFrom(...(queryProps.length > 0 ? queryProps.map(([n]) => n) : ["limit"])).map((name) => make(`query ${name} repeated`, ["repeated query parameter"], { query: { ...base.query, [name]: ["1", "2"] }, field: `query.${name}` })),
    );
  }
  if (params.length > 0) {
    kinds.push(
      fc.tuple(fc.constantFrom(...params), fc.oneof(fc.constantFrom("", " ", "..", "%", "\u0000", "💥", LONG.slice(0, 5000), "a/b", "UPPER", "-dash-"), fc.string({ unit: "grapheme", maxLength: 30 }))).map(([name, value]) =>
        make(`params.${name} = ${JSON.stringify(value).slice(0, 40)}`, ["path parameter", ...kindsOfText(value)], { params: { ...base.params, [name]: value }, field: `params.${name}` }),
      ),
    );
  }
  kinds.push(
    fc.oneof(
      fc.constantFrom("Bearer", "Bearer ", "bearer x", "Basic dXNlcjpwYXNz", "Bearer ks_usr_", `Bearer ${LONG.slice(0, 600)}`, "Bearer ks_gak_\u0000", "Token abc", ""),
      fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
    ).map((header) => make(`authorization ${JSON.stringify(header).slice(0, 40)}`, ["malformed bearer", ...kindsOfText(header)], { headers: { authorization: header } })),
    fc.constant(make("authorization twice", ["duplicate header"], { headers: { authorization: [auth(base.token).authorization ?? "Bearer x", "Bearer ks_usr_other"] } })),
  );
  if (def.access !== "public") {
    kinds.push(fc.constant(make("authorization missing", ["missing header"], { headers: { authorization: undefined }, status: 401 })));
  }
  if (def.idempotent) {
    kinds.push(
      fc.constantFrom("", "a".repeat(256), "💥", "\u0000", "k").map((key) => make(`idempotency-key ${JSON.stringify(key).slice(0, 30)}`, ["idempotency key", ...kindsOfText(key)], { headers: { "idempotency-key": key }, field: "Idempotency-Key" })),
      fc.constant(make("idempotency-key twice", ["idempotency key", "duplicate header"], { headers: { "idempotency-key": ["a", "b"] } })),
    );
  }
  return fc.oneof(...kinds);
}
