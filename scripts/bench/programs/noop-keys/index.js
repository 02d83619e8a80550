// The baseline: `count` dynamic resources whose provider makes no request, with the inputs and
// outputs of a GlobalApiKey (a secret `key` among them), so the engine stores the same shape.
const pulumi = require("@pulumi/pulumi");

const noop = {
  async create(inputs) {
    const { randomBytes, randomUUID } = require("node:crypto");
    const key = `ks_gk_${randomBytes(24).toString("base64url")}`;
    const now = new Date().toISOString();
    const outs = { ...inputs, active: true, allowAllDeployments: false, rotationGracePeriod: "0s", rotationAnchor: now, rotationReason: "created" };
    return { id: randomUUID(), outs: { ...outs, key, keyHint: key.slice(-4), version: 1, createdAt: now, updatedAt: now } };
  },
};

// With `updatable`, the same and an update that issues a new `key`: what updating every resource
// costs the engine itself (the ratio a provider's rotation is held to).
const updatable = {
  create: noop.create,
  async update(_id, olds, news) {
    const key = `ks_gk_${require("node:crypto").randomBytes(24).toString("base64url")}`;
    const now = new Date().toISOString();
    return { outs: { ...olds, ...news, key, keyHint: key.slice(-4), version: olds.version + 1, rotatedAt: now, updatedAt: now } };
  },
};

const OUTPUTS = ["key", "keyHint", "version", "createdAt", "updatedAt", "lastUsedAt", "rotatedAt", "previousKeyExpiresAt", "rotationAnchor", "rotationReason", "nextRotationAt", "managedBy"];

const config = new pulumi.Config();
const provider = config.getBoolean("updatable") ? updatable : noop;

class NoopKey extends pulumi.dynamic.Resource {
  constructor(name, args) {
    const seeded = Object.fromEntries(OUTPUTS.map((o) => [o, undefined]));
    super(provider, name, { ...seeded, ...args, managedBy: `${pulumi.getProject()}/${pulumi.getStack()}/NoopKey/${name}` }, { additionalSecretOutputs: ["key"] }, "keyservice-bench", "NoopKey");
  }
}

const count = config.requireNumber("count");
const prefix = config.require("prefix");
const deploymentId = config.require("deploymentId");

for (let i = 0; i < count; i++) {
  new NoopKey(`key-${i}`, { name: `${prefix}-${i}`, deploymentIds: [deploymentId], rotationTriggers: { trigger: config.get("trigger") ?? "initial" } });
}
