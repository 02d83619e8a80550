import * as pulumi from "@pulumi/pulumi";
import * as keyservice from "@keyservice/pulumi";

// Every knob comes from stack config, so the end-to-end tests drive one program through many scenarios.
const config = new pulumi.Config();

/** The arguments both API keys share, read from config keys named `<role><Field>` (e.g. `globalTrigger`). */
function keyArgs(role: "global" | "platform"): keyservice.ApiKeyArgs {
  return {
    description: config.get(`${role}Description`),
    active: config.getBoolean(`${role}Active`),
    expiresAt: config.get(`${role}ExpiresAt`),
    rotationTriggers: {
      trigger: config.get(`${role}Trigger`) ?? "initial",
      // A secret trigger too: refresh must keep it encrypted in state, and check must never print it.
      ...(config.getSecret(`${role}SecretTrigger`) ? { secret: config.getSecret(`${role}SecretTrigger`)! } : {}),
      // Not validated here (any JSON): the provider's check must refuse what is not a string, number or boolean.
      ...config.getObject<Record<string, string>>(`${role}ExtraTriggers`),
    },
    rotateAfter: config.get(`${role}RotateAfter`),
    rotationGracePeriod: config.get(`${role}Grace`),
    adoptExisting: config.get(`${role}AdoptExisting`),
  };
}

const target = new keyservice.Deployment("target", { name: config.get("deploymentName") });

const global = new keyservice.GlobalApiKey("global", { ...keyArgs("global"), deploymentIds: [target.id] });

// Not validated here: the provider's check must refuse a bad tier.
const platform = new keyservice.PlatformApiKey("platform", {
  ...keyArgs("platform"),
  permission: (config.get("platformPermission") ?? "read_write") as keyservice.Permission,
});

const llm = new keyservice.LlmKey("llm", { provider: "openai", label: "End-to-end OpenAI key", apiKey: config.requireSecret("llmApiKey") });

export const deploymentId = target.id;
export const deploymentName = target.name;

export const globalKeyId = global.id;
export const globalKey = global.key;
export const globalVersion = global.version;
export const globalRotationReason = global.rotationReason;
export const globalRotationAnchor = global.rotationAnchor;

export const platformKeyId = platform.id;
export const platformKey = platform.key;
export const platformVersion = platform.version;

export const llmKeyId = llm.id;
export const llmKeyHint = llm.keyHint;
