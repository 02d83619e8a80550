import * as pulumi from "@pulumi/pulumi";
import * as keyservice from "@keyservice/pulumi";
import { fleetLlmSecret } from "./llm-secret";

// `count` keys, all rotated when `generation` changes, with no grace: a stack holding a secret
// that stopped working would show at once. Beside them a deployment and an LLM key, whose secret
// changes with `generation` too.
const config = new pulumi.Config();
const count = config.getNumber("count") ?? 50;
const generation = config.get("generation") ?? "1";

const deployment = new keyservice.Deployment("fleet-deployment");
const llm = new keyservice.LlmKey("fleet-llm", {
  provider: "fleet",
  label: "Fleet",
  apiKey: config.requireSecret("llmSeed").apply((seed) => fleetLlmSecret(seed, generation)),
});

const keys = Array.from({ length: count }, (_, i) => new keyservice.GlobalApiKey(`fleet-${i}`, {
  allowAllDeployments: true,
  rotationTriggers: { generation },
  rotationGracePeriod: "0s",
}));

/** Each key's id and secret by name (the secrets stay encrypted in state). */
export const fleet = pulumi.secret(pulumi.all(keys.map((k) => pulumi.all([k.name, k.id, k.key, k.version]))).apply((rows) =>
  Object.fromEntries(rows.map(([name, id, key, version]) => [name, { id, key, version }])),
));

export const deploymentId = deployment.id;

/** The LLM key's id and the secret the stack holds for it (encrypted in state). */
export const llmKey = pulumi.secret(pulumi.all([llm.id, llm.apiKey]).apply(([id, apiKey]) => ({ id, apiKey })));
