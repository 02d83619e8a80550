import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./runtime";

/**
 * The provider object the engine serializes into state as `__provider`. It holds nothing but the
 * resource kind: each method loads the implementation from the installed package at call time,
 * so no credential, endpoint or module is captured, and newer package versions serve old state.
 * One object per kind, kept: `@pulumi/pulumi` caches the serialized text by object, so a program
 * with a hundred keys serializes the closure once, not a hundred times.
 */
export function serializedProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let provider = made.get(kind);
  if (!provider) made.set(kind, (provider = providerOf(kind)));
  return provider;
}

const made = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

function providerOf(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    configure: async (req) => require("@keyservice/pulumi/runtime").configure(req.config),
    check: (olds, news) => require("@keyservice/pulumi/runtime").provider(kind).check(olds, news),
    diff: (id, olds, news) => require("@keyservice/pulumi/runtime").provider(kind).diff(id, olds, news),
    create: (inputs) => require("@keyservice/pulumi/runtime").provider(kind).create(inputs),
    read: (id, props) => require("@keyservice/pulumi/runtime").provider(kind).read(id, props),
    update: (id, olds, news) => require("@keyservice/pulumi/runtime").provider(kind).update(id, olds, news),
    delete: (id, props) => require("@keyservice/pulumi/runtime").provider(kind).delete(id, props),
  };
}
