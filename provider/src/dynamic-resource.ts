import * as pulumi from "@pulumi/pulumi";
import { managedBy } from "./managed-by";
import { seedOutputs } from "./outputs";
import type { ResourceKind } from "./runtime";
import { serializedProvider } from "./serialized-provider";
import { requireSecretToken } from "./token-config";

/**
 * What every keyservice resource is: a dynamic resource (type
 * `pulumi-nodejs:dynamic/keyservice:<kind>`, as `pulumi.dynamic.Resource` names it) whose props
 * carry the provider text (see serialized-provider.ts), its output-only properties seeded unset so
 * that the engine fills them in, and the stack resource that manages it (see managed-by.ts).
 * Refuses a plain-text `keyservice:token` first (see token-config.ts).
 */
export abstract class KeyserviceResource extends pulumi.CustomResource {
  /** When the service created it (RFC 3339). */
  declare readonly createdAt: pulumi.Output<string>;
  /** The stack resource that manages it (project/stack/type/name): its create is replayed, never repeated, across runs. */
  declare readonly managedBy: pulumi.Output<string>;

  /** `outputs`: the output-only properties, declared once per resource; `secretOutputs`: those the engine keeps secret. */
  protected constructor(kind: ResourceKind, name: string, props: pulumi.Inputs, outputs: readonly string[], opts: pulumi.CustomResourceOptions | undefined, secretOutputs: readonly string[] = []) {
    requireSecretToken();
    const options = secretOutputs.length > 0 ? pulumi.mergeOptions(opts, { additionalSecretOutputs: [...secretOutputs] }) : opts;
    super(`pulumi-nodejs:dynamic/keyservice:${kind}`, name, { ...props, ...seedOutputs(outputs), managedBy: managedBy(kind, name, opts), __provider: serializedProvider(kind) }, options);
  }
}
