import type { ResourceKind } from "./runtime";

/**
 * The provider text the engine stores with every resource as `__provider`, and that the
 * dynamic-provider host runs (`require`s from a string, then calls `handler()`): one line that
 * loads the implementation from the installed package at call time. It holds nothing but the
 * resource kind, so no credential, endpoint or module is captured, and newer package versions
 * serve old state. Written out rather than made by Pulumi's closure serializer (as
 * `pulumi.dynamic.Resource` would): ~100 bytes instead of ~2.4 KB, which the engine stores twice
 * per resource and rewrites with the whole state at every step, and a program never runs the
 * serializer. State written by earlier versions holds the serialized form; the runtime serves both.
 */
export function serializedProvider(kind: ResourceKind): string {
  return `exports.handler = () => require("@keyservice/pulumi/runtime").dynamicProvider(${JSON.stringify(kind)});\n`;
}
