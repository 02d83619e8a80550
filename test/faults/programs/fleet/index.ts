import * as pulumi from "@pulumi/pulumi";
import * as keyservice from "@keyservice/pulumi";

// `count` keys, all rotated when `generation` changes, with no grace: a stack holding a secret
// that stopped working would show at once.
const config = new pulumi.Config();
const count = config.getNumber("count") ?? 50;
const generation = config.get("generation") ?? "1";

const keys = Array.from({ length: count }, (_, i) => new keyservice.GlobalApiKey(`fleet-${i}`, {
  allowAllDeployments: true,
  rotationTriggers: { generation },
  rotationGracePeriod: "0s",
}));

/** Each key's id and secret by name (the secrets stay encrypted in state). */
export const fleet = pulumi.secret(pulumi.all(keys.map((k) => pulumi.all([k.name, k.id, k.key, k.version]))).apply((rows) =>
  Object.fromEntries(rows.map(([name, id, key, version]) => [name, { id, key, version }])),
));
