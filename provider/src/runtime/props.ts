/** The listed properties of an object (those it has), typed. */
export function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]])) as Pick<T, K>;
}

/** Drops undefined values: the engine's protobuf Struct refuses them ("Unexpected struct type"). */
export function defined<T extends object>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as T;
}

/** Builds a request body from a table of body field → resource property, typed by the values given. */
export function bodyOf<const T extends Readonly<Record<string, string>>, V extends object>(table: T, values: V): { -readonly [K in keyof T]: V[T[K] & keyof V] } {
  return Object.fromEntries(Object.entries(table).map(([field, property]) => [field, (values as Record<string, unknown>)[property]])) as {
    -readonly [K in keyof T]: V[T[K] & keyof V];
  };
}

/** A table of which resource property (of I) each field of a request body (B) comes from. */
export type BodyTable<B, I> = { readonly [K in keyof B]-?: keyof I & string };
