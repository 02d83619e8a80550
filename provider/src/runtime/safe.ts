import { ProviderError, describe } from "./errors";
import type { ProviderImpl } from "./types";

/** Wraps every method so errors reaching the engine carry only safe text (and an id when known). */
export function withSafeErrors(impl: ProviderImpl): ProviderImpl {
  const wrap =
    <A extends unknown[], R>(method: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof ProviderError) throw err;
        throw new ProviderError(`keyservice ${method}: ${describe(err)}`);
      }
    };
  return {
    check: wrap("check", impl.check.bind(impl)),
    diff: wrap("diff", impl.diff.bind(impl)),
    create: wrap("create", impl.create.bind(impl)),
    read: wrap("read", impl.read.bind(impl)),
    update: wrap("update", impl.update.bind(impl)),
    delete: wrap("delete", impl.delete.bind(impl)),
  };
}
