import { pathParamNames, type RouteDef, type RouteName, routes } from "@keyservice/sdk";
import fc from "fast-check";
import { z } from "zod";

/** A request as the fuzzer sends it: everything a client could get wrong. */
export interface FuzzRequest {
  route: RouteName;
  /** What was changed from the well-formed call, for the report and the checks. */
  mutation: string;
  /** The field the mutation aimed at (`name`, `query.limit`, `params.id`), when it aimed at one. */
  field?: string;
  /** The mutated value passes its field's own schema: a refusal may then rightly name another field (a rule across fields). */
  fieldValid?: boolean;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** Sent as is (a string), or as JSON. */
  body?: unknown;
}

/** A well-formed call of a route: path parameters, query and body that pass validation. */
export interface BaseCall {
  params: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  token?: string;
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  format?: string;
  anyOf?: JsonSchema[];
}

function jsonSchema(schema: z.ZodType | undefined): JsonSchema | undefined {
  return schema ? (z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema) : undefined;
}

const LONG = "x".repeat(100_000);

/** Values no schema expects: wrong types, control characters, lone surrogates, huge and odd numbers. */
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
  fc.constantFrom({ __proto__: { admin: true } }, { constructor: { prototype: { admin: true } } }),
);

/** Values just outside what a property's schema allows: one past its length or range, another enum, a broken format. */
function nearValid(prop: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  const types = prop.anyOf ? prop.anyOf.flatMap((s) => [s.type ?? []].flat()) : [prop.type ?? []].flat();
  if (types.includes("string")) {
    if (prop.maxLength !== undefined) options.push(fc.constant("a".repeat(prop.maxLength + 1)));
    if (prop.minLength !== undefined && prop.minLength > 0) options.push(fc.constant(""));
    if (prop.format === "date-time") options.push(fc.constantFrom("2026-13-01T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00", "+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00"));
    if (prop.format === "uuid") options.push(fc.constantFrom("not-a-uuid", "01a20000-0000-7000-8000-00000000000", "00000000-0000-0000-0000-000000000000"));
    options.push(fc.constantFrom(" leading", "trailing ", ".", ".."));
  }
  if (types.includes("number") || types.includes("integer")) {
    if (prop.maximum !== undefined) options.push(fc.constant(prop.maximum + 1));
    if (prop.minimum !== undefined) options.push(fc.constant(prop.minimum - 1));
    options.push(fc.constantFrom(1.5, -1, 1e21));
  }
  if (prop.enum) options.push(fc.constantFrom("not-one-of-them", String(prop.enum[0]).toUpperCase()));
  if (types.includes("array")) options.push(fc.constantFrom([null], ["x"], new Array(1001).fill("01a20000-0000-7000-8000-000000000000")));
  return options.length > 0 ? fc.oneof(...options) : hostile;
}

const PROTO_KEYS = ["__proto__", "constructor", "prototype"];

/** The schema of one property of an object body schema. */
function fieldSchema(body: z.ZodType | undefined, name: string): z.ZodType | undefined {
  return body instanceof z.ZodObject ? (body.shape as Record<string, z.ZodType>)[name] : undefined;
}

function pathOf(def: RouteDef, params: Record<string, string>): string {
  return def.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? ""));
}

function queryString(query: Record<string, string | string[]> | undefined): string {
  if (!query) return "";
  const parts = Object.entries(query).flatMap(([k, v]) => [v].flat().map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`));
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

function auth(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Every kind of request the fuzzer makes of one route, from its well-formed call and its schemas. */
export function requestsOf(route: RouteName, base: BaseCall): fc.Arbitrary<FuzzRequest> {
  const def = routes[route] as RouteDef;
  const body = jsonSchema(def.body);
  const query = jsonSchema(def.query);
  const props = Object.entries(body?.properties ?? {});
  const queryProps = Object.entries(query?.properties ?? {});
  const params = pathParamNames(def.path);
  const make = (mutation: string, parts: { params?: Record<string, string>; query?: Record<string, string | string[]>; body?: unknown; headers?: Record<string, string | string[]>; field?: string; fieldValid?: boolean }): FuzzRequest => ({
    route,
    mutation,
    field: parts.field,
    fieldValid: parts.fieldValid,
    method: def.method,
    path: pathOf(def, parts.params ?? base.params) + queryString(parts.query ?? base.query),
    headers: parts.headers ?? auth(base.token),
    body: "body" in parts ? parts.body : base.body,
  });
  const kinds: fc.Arbitrary<FuzzRequest>[] = [fc.constant(make("well-formed", {}))];
  if (props.length > 0) {
    kinds.push(
      fc.constantFrom(...props).chain(([name, prop]) =>
        fc.oneof(nearValid(prop), hostile).map((value) =>
          make(`body.${name} = ${JSON.stringify(value)?.slice(0, 60)}`, { body: { ...base.body, [name]: value }, field: name, fieldValid: fieldSchema(def.body, name)?.safeParse(value).success ?? false }),
        ),
      ),
    );
    const required = body?.required ?? [];
    if (required.length > 0) {
      kinds.push(
        fc.constantFrom(...required).map((name) => {
          const { [name]: _gone, ...rest } = base.body ?? {};
          return make(`body.${name} missing`, { body: rest, field: name });
        }),
      );
    }
  }
  if (def.body) {
    kinds.push(
      fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ minLength: 1, maxLength: 20 })), hostile).map(([key, value]) =>
        make(`extra body field ${JSON.stringify(key)}`, { body: `{${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"},${JSON.stringify(base.body ?? {}).slice(1)}`.replace(/,}$/, "}"), field: key }),
      ),
      hostile.map((value) => make(`body = ${JSON.stringify(value)?.slice(0, 60)}`, { body: JSON.stringify(value) ?? "null" })),
      fc.constantFrom("{", '{"name":', "[1,2", "nul", '{"a":1}{"b":2}', `{"name":"${LONG}"`, "\u0000", '{"__proto__":{"isAdmin":true}}').map((text) => make("body is not JSON", { body: text })),
      fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/xml").map((type) =>
        make(`content-type ${type}`, { body: JSON.stringify(base.body ?? {}), headers: { ...auth(base.token), "content-type": type } }),
      ),
    );
  }
  if (queryProps.length > 0 || def.method === "GET") {
    kinds.push(
      fc.tuple(fc.constantFrom(...queryProps.map(([n]) => n), "unknown", "__proto__"), fc.oneof(fc.constantFrom("-1", "0", "101", "1e309", "", "NaN", "1.5", LONG, "\u0000", "%zz"), fc.string({ maxLength: 30 }))).map(([name, value]) =>
        make(`query ${name}=${value.slice(0, 40)}`, { query: { ...base.query, [name]: value }, field: `query.${name}` }),
      ),
      fc.constantFrom(...(queryProps.length > 0 ? queryProps.map(([n]) => n) : ["limit"])).map((name) => make(`query ${name} repeated`, { query: { ...base.query, [name]: ["1", "2"] }, field: `query.${name}` })),
    );
  }
  if (params.length > 0) {
    kinds.push(
      fc.tuple(fc.constantFrom(...params), fc.oneof(fc.constantFrom("", " ", "..", "%", "\u0000", "💥", LONG.slice(0, 5000), "a/b", "UPPER", "-dash-"), fc.string({ unit: "grapheme", maxLength: 30 }))).map(([name, value]) =>
        make(`params.${name} = ${JSON.stringify(value).slice(0, 40)}`, { params: { ...base.params, [name]: value }, field: `params.${name}` }),
      ),
    );
  }
  kinds.push(
    fc.oneof(
      fc.constantFrom("Bearer", "Bearer ", "bearer x", "Basic dXNlcjpwYXNz", "Bearer ks_usr_", `Bearer ${LONG.slice(0, 600)}`, "Bearer ks_gak_\u0000", "Token abc", ""),
      fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
    ).map((header) => make(`authorization ${JSON.stringify(header).slice(0, 40)}`, { headers: { authorization: header } })),
    fc.constant(make("authorization twice", { headers: { authorization: [auth(base.token).authorization ?? "Bearer x", "Bearer ks_usr_other"] } })),
  );
  if (def.idempotent) {
    kinds.push(
      fc.constantFrom("", "a".repeat(256), "💥", "\u0000", "k").map((key) => make(`idempotency-key ${JSON.stringify(key).slice(0, 30)}`, { headers: { ...auth(base.token), "idempotency-key": key }, field: "Idempotency-Key" })),
      fc.constant(make("idempotency-key twice", { headers: { ...auth(base.token), "idempotency-key": ["a", "b"] } })),
    );
  }
  return fc.oneof(...kinds);
}
