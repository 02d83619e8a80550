import * as pulumi from "@pulumi/pulumi";

/** The input every resource whose create converges across runs has (keys, members, deployments, LLM keys). */
export interface ManagedInputs {
  /** The stack resource that manages it (set by the resource class; see managed-by.ts). Unset in state written before 0.x. */
  managedBy?: string;
}

/**
 * Names the stack resource that manages a key, member, deployment or LLM key: project, stack,
 * parent and resource name. The provider derives a create's Idempotency-Key from it (see
 * runtime/idempotency.ts), so the create that a crash or a lost answer interrupted is replayed by
 * the next `pulumi up`, however many plans later, instead of minting a second key that nothing
 * owns (or answering 409 for the name or provider the lost create took).
 */
export function managedBy(kind: string, name: string, opts?: pulumi.CustomResourceOptions): pulumi.Input<string> {
  const own = `${pulumi.getProject()}/${pulumi.getStack()}/${kind}/${name}`;
  const parent = opts?.parent;
  return parent ? pulumi.interpolate`${own} in ${parent.urn}` : own;
}
