import * as keyservice from "@keyservice/pulumi";

// A scheduler runs `pulumi up` daily. Each run rotates the keys whose `rotateAfter` has elapsed
// and leaves the others alone; the previous secret keeps working for `rotationGracePeriod`, which
// must outlast the time a consumer needs to pick up the new one (the service allows up to 7 days).
const schedule = {
  partnerApi: { rotateAfter: "30d", rotationGracePeriod: "7d" }, // partners fetch their key weekly
  reporting: { rotateAfter: "7d", rotationGracePeriod: "1d" }, // the report job reads its secret daily
  releaseBot: { rotateAfter: "14d", rotationGracePeriod: "2h" }, // the bot re-reads its secret hourly
};

const gateway = new keyservice.Deployment("partner-gateway");

const partnerApi = new keyservice.GlobalApiKey("partner-api", {
  description: "Partner integrations calling the gateway",
  deploymentIds: [gateway.id],
  ...schedule.partnerApi,
});

const reporting = new keyservice.PlatformApiKey("reporting", {
  description: "Nightly usage report",
  permission: "read",
  ...schedule.reporting,
});

const releaseBot = new keyservice.PlatformApiKey("release-bot", {
  description: "Release bot: creates deployments",
  permission: "read_write",
  ...schedule.releaseBot,
});

// The first scheduled run on or after each date rotates that key.
export const nextRotations = {
  partnerApi: partnerApi.nextRotationAt,
  reporting: reporting.nextRotationAt,
  releaseBot: releaseBot.nextRotationAt,
};

// Each version is a rotation; after one, the previous secret works until previousKeyExpiresAt.
export const versions = { partnerApi: partnerApi.version, reporting: reporting.version, releaseBot: releaseBot.version };
export const previousKeyExpiresAt = {
  partnerApi: partnerApi.previousKeyExpiresAt.apply((at) => at ?? "none"),
  reporting: reporting.previousKeyExpiresAt.apply((at) => at ?? "none"),
  releaseBot: releaseBot.previousKeyExpiresAt.apply((at) => at ?? "none"),
};

// The secrets, for the consumers' secret stores (see the workflow's hand-over step).
export const partnerApiKey = partnerApi.key;
export const reportingToken = reporting.key;
export const releaseBotToken = releaseBot.key;
