import * as keyservice from "@keyservice/pulumi";

// No credential in this program: the pipeline passes KEYSERVICE_TOKEN from its secrets, and the
// committed Pulumi.<stack>.yaml holds keyservice:endpoint and keyservice:org.

// A deployment this stack owns: created on merge, deleted on destroy.
const checkout = new keyservice.Deployment("checkout");

// A deployment another team owns: looked up by name at plan time and never changed from here.
const payments = keyservice.getDeploymentOutput({ name: "payments" });

// Each consumer gets a global key that opens only the deployments it calls.
// Bump `generation` in a pull request to rotate a key; the old secret works for one more day.
const storefront = new keyservice.GlobalApiKey("storefront", {
  description: "Storefront backend: calls checkout and payments",
  deploymentIds: [checkout.id, payments.id],
  rotationTriggers: { generation: 1 },
  rotationGracePeriod: "1d",
});

const paymentsSmokeTests = new keyservice.GlobalApiKey("payments-smoke-tests", {
  description: "Payments team's smoke tests: payments only",
  deploymentIds: [payments.id],
  rotationTriggers: { generation: 1 },
  rotationGracePeriod: "1d",
});

// Read-only jobs get `read` platform keys: they can list and get, never write, delete or mint.
// The first is the token of this pipeline's own pull-request job (`pulumi preview`).
const previewToken = new keyservice.PlatformApiKey("pipeline-preview", {
  description: "pulumi preview on pull requests",
  permission: "read",
  rotationTriggers: { generation: 1 },
  rotationGracePeriod: "1d",
});

const dashboardToken = new keyservice.PlatformApiKey("key-dashboard", {
  description: "Internal dashboard listing keys and their hints",
  permission: "read",
  rotationTriggers: { generation: 1 },
  rotationGracePeriod: "1d",
});

// Secret outputs, one per consumer: `pulumi stack output --show-secrets <name>` hands a key over.
export const storefrontKey = storefront.key;
export const paymentsSmokeTestsKey = paymentsSmokeTests.key;
export const previewReadToken = previewToken.key;
export const dashboardReadToken = dashboardToken.key;

// Plain outputs, safe to print in a pull-request comment: who opens what, and which secret is live.
export const scopes = {
  storefront: [checkout.name, payments.name],
  paymentsSmokeTests: [payments.name],
};
export const keyHints = {
  storefront: storefront.keyHint,
  paymentsSmokeTests: paymentsSmokeTests.keyHint,
  pipelinePreview: previewToken.keyHint,
  keyDashboard: dashboardToken.keyHint,
};
