import * as pulumi from "@pulumi/pulumi";
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

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in a duration such as "30d" or "1h30m" (the grammar `rotateAfter` accepts). */
function durationMs(text: string): number {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit];
  return ms;
}

/** The earliest instant a run rotates the key: its secret's age counts from `rotationAnchor`. */
function nextRotation(key: { rotationAnchor: pulumi.Output<string> }, rotateAfter: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.all([key.rotationAnchor, rotateAfter]).apply(([anchor, after]) => new Date(Date.parse(anchor) + durationMs(after)).toISOString());
}

// The first scheduled run on or after each date rotates that key.
export const nextRotations = {
  partnerApi: nextRotation(partnerApi, schedule.partnerApi.rotateAfter),
  reporting: nextRotation(reporting, schedule.reporting.rotateAfter),
  releaseBot: nextRotation(releaseBot, schedule.releaseBot.rotateAfter),
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
