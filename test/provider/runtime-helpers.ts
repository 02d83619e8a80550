import { configure, isGone, provider, type ReadResult, type ResourceKind } from "@keyservice/pulumi/runtime";
import type { TestService } from "../helpers/service";

/** Points the provider runtime at a live test service, as the engine's `configure` call would. */
export function configureRuntime(svc: TestService, org: string, token: string): void {
  const config: Record<string, string> = { "keyservice:endpoint": svc.url, "keyservice:org": org, "keyservice:token": token };
  configure({ get: (key: string) => config[key] });
}

/** The provider of one resource kind, typed with that kind's inputs and outputs. */
export function runtime<K extends ResourceKind>(kind: K) {
  return provider(kind);
}

/** What `read` found, failing the test when it reports the resource gone. */
export function found<I, O>(result: ReadResult<I, O>): { id: string; props: O; inputs?: I } {
  if (isGone(result)) throw new Error("read reported the resource gone (an empty id).");
  return result;
}

/** The checked inputs, failing the test with the failures when `check` refused them. */
export function checkedInputs<I>(result: { inputs?: I; failures?: { property: string; reason: string }[] }): I {
  if (!result.inputs) throw new Error(`check refused the inputs: ${JSON.stringify(result.failures)}`);
  return result.inputs;
}
