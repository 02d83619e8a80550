import { withSafeErrors } from "./safe";
import { deploymentProvider } from "./deployment-provider";
import { globalApiKeyProvider } from "./global-api-key-provider";
import { llmKeyProvider } from "./llm-key-provider";
import { platformApiKeyProvider } from "./platform-api-key-provider";
import type { ProviderImpl } from "./types";

export { configure } from "./settings";

/** The resource types this package serves; the serialized provider names one of them, nothing else. */
export type ResourceKind = "GlobalApiKey" | "PlatformApiKey" | "LlmKey" | "Deployment";

const providers: Record<ResourceKind, ProviderImpl> = {
  GlobalApiKey: globalApiKeyProvider,
  PlatformApiKey: platformApiKeyProvider,
  LlmKey: llmKeyProvider,
  Deployment: deploymentProvider,
};

/**
 * The stable entry point the serialized provider calls (`require("@keyservice/pulumi/runtime")`).
 * Its name and shape must not change: state written by any version of the package calls it.
 */
export function provider(kind: ResourceKind): ProviderImpl {
  const impl = providers[kind];
  if (!impl) throw new Error(`@keyservice/pulumi has no resource type "${kind}"; upgrade the package.`);
  return withSafeErrors(impl);
}
