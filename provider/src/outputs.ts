/**
 * A resource's output-only properties (those not among its args), seeded as undefined in
 * `super(...)` so that the engine fills them in. Each resource declares its list once.
 */
export function seedOutputs<const N extends string>(names: readonly N[]): Record<N, undefined> {
  return Object.fromEntries(names.map((name) => [name, undefined])) as Record<N, undefined>;
}

/** `true` when two unions of names are the same; otherwise the names only one of them has. */
export type SameNames<A extends PropertyKey, B extends PropertyKey> = [Exclude<A, B> | Exclude<B, A>] extends [never] ? true : { onlyInOne: Exclude<A, B> | Exclude<B, A> };

/** Compiles only when given `true`: ties an output list, its interface and the declared members together. */
export type Assert<T extends true> = T;
