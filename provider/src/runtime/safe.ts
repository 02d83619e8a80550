import { ProviderError, describe } from "./errors";
import type { ProviderImpl } from "./types";
import { defined } from "./unknown";

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
    create: wrap("create", async (inputs) => {
      const r = await impl.create(inputs);
      return { ...r, outs: defined(r.outs) };
    }),
    read: wrap("read", async (id, props) => {
      const r = await impl.read(id, props);
      return { ...r, ...(r.props ? { props: defined(r.props) } : {}), ...(r.inputs ? { inputs: defined(r.inputs) } : {}) };
    }),
    update: wrap("update", async (id, olds, news) => ({ outs: defined((await impl.update(id, olds, news)).outs) })),
    delete: wrap("delete", impl.delete.bind(impl)),
  };
}
