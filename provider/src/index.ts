export { ApiKeyResource, type ApiKeyArgs, type ApiKeyInputs, type ApiKeyServiceOutputs } from "./api-key";
export { GlobalApiKey, type GlobalApiKeyArgs, type GlobalApiKeyInputs, type GlobalApiKeyOutputs } from "./global-api-key";
export { PlatformApiKey, type Permission, type PlatformApiKeyArgs, type PlatformApiKeyInputs, type PlatformApiKeyOutputs } from "./platform-api-key";
export { LlmKey, type LlmKeyArgs, type LlmKeyInputs, type LlmKeyOutputs } from "./llm-key";
export { Deployment, getDeployment, getDeploymentOutput, type DeploymentArgs, type GetDeploymentArgs, type GetDeploymentResult } from "./deployment";
export { serializedProvider } from "./serialized-provider";
