import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./runtime";
import { serializedProvider } from "./serialized-provider";
import { requireSecretToken } from "./token-config";

/**
 * The arguments of `pulumi.CustomResource`'s constructor for a keyservice resource: a dynamic
 * resource (type `pulumi-nodejs:dynamic/keyservice:<kind>`, as `pulumi.dynamic.Resource` names
 * it) whose props carry the provider text (see serialized-provider.ts), and the outputs the engine
 * must keep secret. Refuses a plain-text `keyservice:token` first (see token-config.ts).
 */
export function resourceArgs(kind: ResourceKind, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined, secretOutputs: readonly string[] = []) {
  requireSecretToken();
  const options = secretOutputs.length > 0 ? pulumi.mergeOptions(opts, { additionalSecretOutputs: [...secretOutputs] }) : opts;
  return [`pulumi-nodejs:dynamic/keyservice:${kind}`, name, { ...props, __provider: serializedProvider(kind) }, options] as const;
}
