import * as pulumi from "@pulumi/pulumi";
import * as keyservice from "@keyservice/pulumi";

const config = new pulumi.Config();

// Two deployments the keys below can open.
const invoices = new keyservice.Deployment("invoices");
const billing = new keyservice.Deployment("billing");

// A global key for CI that opens only the invoices deployment; change the quarter to rotate it.
const ci = new keyservice.GlobalApiKey("ci", {
  description: "CI smoke tests",
  deploymentIds: [invoices.id],
  rotationTriggers: { quarter: config.get("quarter") ?? "2026-Q4" },
  rotateAfter: "90d",
  rotationGracePeriod: "1h",
});

// A platform key for automation that can read and write, but not delete or mint keys.
const automation = new keyservice.PlatformApiKey("automation", {
  description: "Nightly reconciliation job",
  permission: "read_write",
  rotateAfter: "30d",
  rotationGracePeriod: "10m",
});

// The tenant's own OpenAI key, from secret config; set a new value to rotate it in place.
const openai = new keyservice.LlmKey("openai", {
  provider: "openai",
  label: "Production OpenAI key",
  apiKey: config.requireSecret("openaiApiKey"),
});

export const deployments = { invoices: invoices.name, billing: billing.name };
export const ciKeyId = ci.id;
export const ciKey = ci.key;
export const ciKeyHint = ci.keyHint;
export const automationKey = automation.key;
export const automationKeyHint = automation.keyHint;
export const openaiKeyHint = openai.keyHint;
export const openaiKeyVersion = openai.version;
