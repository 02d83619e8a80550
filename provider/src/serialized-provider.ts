import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./runtime";

/**
 * The provider object the engine serializes into state as `__provider`. It holds nothing but the
 * resource kind: each method loads the implementation from the installed package at call time,
 * so no credential, endpoint or module is captured, and newer package versions serve old state.
 */
export function serializedProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
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
