/** Keys that reach an object's prototype when a literal or an assignment writes them. */
export const PROTO_KEYS = ["__proto__", "constructor", "prototype"];

/**
 * The JSON text of `rest` with `key` first, as a key of its own. A literal `{ __proto__: x }` sets
 * the prototype instead (and serialises as `{}`), so bodies with such keys are written as text.
 */
export function jsonWithKey(key: string, value: unknown, rest: object = {}): string {
  const others = JSON.stringify(rest).slice(1, -1);
  return `{${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}${others ? `,${others}` : ""}}`;
}

/** An object with `key` as an own key, as JSON.parse makes it (and as JSON.stringify writes it back). */
export function withOwnKey(key: string, value: unknown, rest: object = {}): Record<string, unknown> {
  return JSON.parse(jsonWithKey(key, value, rest)) as Record<string, unknown>;
}

/** Whether a value holds an own prototype key at any depth. */
export function hasProtoKey(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  return Object.keys(value).some((k) => PROTO_KEYS.includes(k)) || Object.values(value).some(hasProtoKey);
}
