import * as pulumi from "@pulumi/pulumi";

/**
 * Names the stack resource that manages a key or member: project, stack, parent and resource
 * name. The provider derives a create's Idempotency-Key from it (see runtime/idempotency.ts), so
 * the create that a crash or a lost answer interrupted is replayed by the next `pulumi up`,
 * however many plans later, instead of minting a second key that nothing owns.
 */
export function managedBy(kind: string, name: string, opts?: pulumi.CustomResourceOptions): pulumi.Input<string> {
  const own = `${pulumi.getProject()}/${pulumi.getStack()}/${kind}/${name}`;
  const parent = opts?.parent;
  return parent ? pulumi.interpolate`${own} in ${parent.urn}` : own;
}
