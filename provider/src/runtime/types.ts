/** The dynamic-provider shapes, restated so this runtime never loads @pulumi/pulumi. */
export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs?: Record<string, unknown>;
  failures?: CheckFailure[];
}
export interface DiffResult {
  changes: boolean;
  replaces?: string[];
  stables?: string[];
  deleteBeforeReplace?: boolean;
}
export interface CreateResult {
  id: string;
  outs: Record<string, unknown>;
}
export interface ReadResult {
  id?: string;
  props?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
}
export interface UpdateResult {
  outs: Record<string, unknown>;
}
export interface ProviderImpl {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult>;
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult>;
  create(inputs: Record<string, unknown>): Promise<CreateResult>;
  read(id: string, props: Record<string, unknown>): Promise<ReadResult>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<UpdateResult>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}
