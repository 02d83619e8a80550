import * as pulumi from "@pulumi/pulumi";
import * as keyservice from "@keyservice/pulumi";

const config = new pulumi.Config();

// The automation's own key: this stack authenticates with it (keyservice:token) and rotates it.
// The previous secret works for the grace period, so the run that rotates the key finishes with
// it, and there is a day to read the new one back into the config.
const automation = new keyservice.PlatformApiKey("automation", {
  description: "The keys pipeline's own token, managed by the keys stack",
  permission: "full_access",
  rotateAfter: "30d",
  rotationGracePeriod: "1d",
  // `pulumi config set rotation <a new value>` rotates it at the next up, e.g. after a suspected leak.
  rotationTriggers: { rotation: config.get("rotation") ?? "initial" },
});

// What the automation is for: keys for others. They depend on `automation` only so that
// `pulumi destroy` deletes them first and revokes the stack's own key last.
const api = new keyservice.Deployment("api", {}, { dependsOn: [automation] });
const apiClient = new keyservice.GlobalApiKey(
  "api-client",
  { description: "Clients of the api deployment", deploymentIds: [api.id], rotateAfter: "90d", rotationGracePeriod: "1h" },
  { dependsOn: [automation] },
);

// Read this back after every up that rotated it:
//   pulumi stack output --show-secrets automationKey | pulumi config set --secret keyservice:token
export const automationKey = automation.key;
export const automationKeyHint = automation.keyHint;
export const automationKeyVersion = automation.version;
export const previousKeyExpiresAt = automation.previousKeyExpiresAt.apply((at) => at ?? "none");

// False until the live secret is read back (after the first up, and after each rotation).
const token = new pulumi.Config("keyservice").getSecret("token") ?? pulumi.secret(process.env.KEYSERVICE_TOKEN ?? "");
export const tokenIsCurrent = pulumi.unsecret(pulumi.all([automation.key, token]).apply(([key, current]) => key === current));

export const apiClientKey = apiClient.key;
