import type { ResourceKind } from "./runtime";

/**
 * The provider text the engine stores with every resource as `__provider`, and that the
 * dynamic-provider host runs (`require`s from a string, then calls `handler()`): one line that
 * loads the implementation from the installed package at call time. It holds nothing but the
 * resource kind, so no credential, endpoint or module is captured, and it calls only `provider`
 * and `configure`, which every version of the runtime exports: older and newer packages serve it.
 * Written out rather than made by Pulumi's closure serializer (as `pulumi.dynamic.Resource`
 * would): ~170 bytes instead of ~2.4 KB, which the engine stores twice per resource and rewrites
 * with the whole state at every step, and a program never runs the serializer. State written by
 * earlier versions holds the serialized form, which calls the same two functions.
 */
export function serializedProvider(kind: ResourceKind): string {
  return `exports.handler = () => { const runtime = require("@keyservice/pulumi/runtime"); return { ...runtime.provider(${JSON.stringify(kind)}), configure: (req) => runtime.configure(req.config) }; };\n`;
}
