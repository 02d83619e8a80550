import * as pulumi from "@pulumi/pulumi";
import * as keyservice from "@keyservice/pulumi";

const config = new pulumi.Config();

// Each provider's key comes from the stack's encrypted config (`pulumi config set --secret
// openaiApiKey`) and is stored encrypted by the service, which only ever shows its last 4
// characters. Setting a new value rotates that key in place: same id, next version.
const openai = new keyservice.LlmKey("openai", {
  provider: "openai",
  label: "OpenAI, production",
  apiKey: config.requireSecret("openaiApiKey"),
});

const anthropic = new keyservice.LlmKey("anthropic", {
  provider: "anthropic",
  label: "Anthropic, production",
  apiKey: config.requireSecret("anthropicApiKey"),
});

// Optional: stored while its secret is set, deleted after `pulumi config rm mistralApiKey`.
const mistralApiKey = config.getSecret("mistralApiKey");
const mistral = mistralApiKey && new keyservice.LlmKey("mistral", { provider: "mistral", label: "Mistral, evaluation", apiKey: mistralApiKey });

/** What is safe to show about a stored key: never the secret, only its hint and version. */
function summary(key: keyservice.LlmKey) {
  return { id: key.id, keyHint: key.keyHint, version: key.version, status: key.status };
}

export const llmKeys = {
  openai: summary(openai),
  anthropic: summary(anthropic),
  ...(mistral ? { mistral: summary(mistral) } : {}),
};
