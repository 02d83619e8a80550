export { ApiKeyResource, API_KEY_OUTPUTS, type ApiKeyArgs, type ApiKeyInputs, type ApiKeyOutputs, type ApiKeyServiceOutputs } from "./api-key";
export { GlobalApiKey, type GlobalApiKeyArgs, type GlobalApiKeyInputs, type GlobalApiKeyOutputs } from "./global-api-key";
export { PlatformApiKey, type Permission, type PlatformApiKeyArgs, type PlatformApiKeyInputs, type PlatformApiKeyOutputs } from "./platform-api-key";
export { LlmKey, LLM_KEY_OUTPUTS, type LlmKeyArgs, type LlmKeyInputs, type LlmKeyOutputs } from "./llm-key";
export { Member, MEMBER_OUTPUTS, type MemberArgs, type MemberInputs, type MemberOutputs, type Role } from "./member";
export {
  Deployment,
  DEPLOYMENT_OUTPUTS,
  getDeployment,
  getDeploymentOutput,
  type DeploymentArgs,
  type DeploymentInputs,
  type DeploymentOutputs,
  type GetDeploymentArgs,
  type GetDeploymentResult,
} from "./deployment";
export { KeyserviceResource } from "./dynamic-resource";
export type { ManagedInputs } from "./managed-by";
export type { RotationArgs, RotationInputs, RotationOutputs } from "./rotation-settings";
export { serializedProvider } from "./serialized-provider";
export type { ResourceKind } from "./runtime";
