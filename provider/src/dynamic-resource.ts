import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./runtime";
import { serializedProvider } from "./serialized-provider";
import { requireSecretToken } from "./token-config";

/**
 * The arguments of `pulumi.dynamic.Resource`'s constructor for a keyservice resource: its
 * serialized provider, its props, and the outputs the engine must keep secret. Refuses a
 * plain-text `keyservice:token` first (see token-config.ts).
 */
export function resourceArgs(kind: ResourceKind, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined, secretOutputs: readonly string[] = []) {
  requireSecretToken();
  const options = secretOutputs.length > 0 ? pulumi.mergeOptions(opts, { additionalSecretOutputs: [...secretOutputs] }) : opts;
  return [serializedProvider(kind), name, props, options, "keyservice", kind] as const;
}
