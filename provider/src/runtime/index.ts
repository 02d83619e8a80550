import type { DeploymentInputs, DeploymentOutputs } from "../deployment";
import type { GlobalApiKeyInputs, GlobalApiKeyOutputs } from "../global-api-key";
import type { LlmKeyInputs, LlmKeyOutputs } from "../llm-key";
import type { MemberInputs, MemberOutputs } from "../member";
import type { PlatformApiKeyInputs, PlatformApiKeyOutputs } from "../platform-api-key";
import { deploymentProvider } from "./deployment-provider";
import { globalApiKeyProvider } from "./global-api-key-provider";
import { llmKeyProvider } from "./llm-key-provider";
import { memberProvider } from "./member-provider";
import { platformApiKeyProvider } from "./platform-api-key-provider";
import { withSafeErrors } from "./safe";
import type { ResourceProvider } from "./types";

export { configure } from "./settings";
export { isGone, type CheckFailure, type CheckResult, type CreateResult, type DiffResult, type EngineProps, type Gone, type ReadResult, type ResourceProvider, type UpdateResult } from "./types";

/** Each resource type this package serves, with the inputs and outputs its provider takes and returns. */
export interface Providers {
  GlobalApiKey: ResourceProvider<GlobalApiKeyInputs, GlobalApiKeyOutputs>;
  PlatformApiKey: ResourceProvider<PlatformApiKeyInputs, PlatformApiKeyOutputs>;
  LlmKey: ResourceProvider<LlmKeyInputs, LlmKeyOutputs>;
  Deployment: ResourceProvider<DeploymentInputs, DeploymentOutputs>;
  Member: ResourceProvider<MemberInputs, MemberOutputs>;
}

/** The resource types this package serves; the serialized provider names one of them, nothing else. */
export type ResourceKind = keyof Providers;

const providers: Providers = {
  GlobalApiKey: withSafeErrors(globalApiKeyProvider),
  PlatformApiKey: withSafeErrors(platformApiKeyProvider),
  LlmKey: withSafeErrors(llmKeyProvider),
  Deployment: withSafeErrors(deploymentProvider),
  Member: withSafeErrors(memberProvider),
};

/**
 * The stable entry point the serialized provider calls (`require("@keyservice/pulumi/runtime")`).
 * Its name and shape must not change: state written by any version of the package calls it.
 */
export function provider<K extends ResourceKind>(kind: K): Providers[K] {
  if (!Object.prototype.hasOwnProperty.call(providers, kind)) throw new Error(`@keyservice/pulumi has no resource type "${kind}"; upgrade the package.`);
  return providers[kind];
}
