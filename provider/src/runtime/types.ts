/** The dynamic-provider shapes, restated and typed per resource so this runtime never loads @pulumi/pulumi. */

/** Property values as the engine hands them to `check`, before they are validated. */
export type EngineProps = Readonly<Record<string, unknown>>;

export interface CheckFailure {
  /** The resource property at fault, or "" for the resource as a whole (the engine prints a property's value beside it). */
  property: string;
  reason: string;
}

/**
 * The checked inputs, or why there are none. During preview any field of the inputs may still
 * hold the unknown marker (`UNKNOWN` in ./unknown), whatever its declared type.
 */
export type CheckResult<I> = { inputs: I; failures?: undefined } | { inputs?: undefined; failures: CheckFailure[] };

export interface DiffResult {
  changes: boolean;
  replaces?: string[];
  stables?: string[];
  deleteBeforeReplace?: boolean;
}

export interface CreateResult<O> {
  id: string;
  outs: O;
}

/** What `read` returns for a resource deleted outside the stack: refresh drops it from state. */
export interface Gone {
  id: "";
  props: Record<string, never>;
  inputs?: undefined;
}

/** What `read` found: the resource (with the inputs its outputs imply), or an empty id when it is gone. */
export type ReadResult<I, O> = { id: string; props: O; inputs?: I } | Gone;

export interface UpdateResult<O> {
  outs: O;
}

/**
 * One resource kind's provider. `olds` of `check` are the previous inputs (empty on create, and
 * possibly from an older version of this package); `olds` of `diff` and `update` are the outputs.
 */
export interface ResourceProvider<I extends object, O extends I> {
  check(olds: Partial<I>, news: EngineProps): Promise<CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<DiffResult>;
  create(inputs: I): Promise<CreateResult<O>>;
  read(id: string, props: O): Promise<ReadResult<I, O>>;
  update(id: string, olds: O, news: I): Promise<UpdateResult<O>>;
  delete(id: string, props: O): Promise<void>;
}

/** A fresh `Gone` each time: the dynamic-provider host writes `__provider` into the props it is given. */
export function gone(): Gone {
  return { id: "", props: {} };
}

export function isGone<I, O>(result: ReadResult<I, O>): result is Gone {
  return result.id === "";
}
