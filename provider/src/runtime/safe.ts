import { ProviderError, describe } from "./errors";
import { defined } from "./props";
import { isGone, type ResourceProvider } from "./types";

/**
 * Wraps every method so errors reaching the engine carry only safe text (and an id when known),
 * outputs carry no undefined value, and `check` never throws: the host would print a stack trace.
 */
export function withSafeErrors<I extends object, O extends I>(impl: ResourceProvider<I, O>): ResourceProvider<I, O> {
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
    async check(olds, news) {
      try {
        const r = await impl.check(olds, news);
        return r.inputs === undefined ? r : { inputs: defined(r.inputs) };
      } catch (err) {
        return { failures: [{ property: "", reason: `keyservice could not check these inputs: ${describe(err)}` }] };
      }
    },
    diff: wrap("diff", impl.diff.bind(impl)),
    create: wrap("create", async (inputs) => {
      const r = await impl.create(inputs);
      return { id: r.id, outs: defined(r.outs) };
    }),
    read: wrap("read", async (id, props) => {
      const r = await impl.read(id, props);
      if (isGone(r)) return r;
      return { id: r.id, props: defined(r.props), ...(r.inputs ? { inputs: defined(r.inputs) } : {}) };
    }),
    update: wrap("update", async (id, olds, news) => ({ outs: defined((await impl.update(id, olds, news)).outs) })),
    delete: wrap("delete", impl.delete.bind(impl)),
  };
}
