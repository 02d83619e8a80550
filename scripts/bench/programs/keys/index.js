// `count` GlobalApiKeys opening one deployment; changing `trigger` rotates all of them.
// JavaScript, not TypeScript: the bench times the provider, not a compile.
const pulumi = require("@pulumi/pulumi");
const keyservice = require("@keyservice/pulumi");

const config = new pulumi.Config();
const count = config.requireNumber("count");
const prefix = config.require("prefix");
const deploymentId = config.require("deploymentId");
const trigger = config.get("trigger") ?? "initial";

for (let i = 0; i < count; i++) {
  new keyservice.GlobalApiKey(`key-${i}`, { name: `${prefix}-${i}`, deploymentIds: [deploymentId], rotationTriggers: { trigger } });
}
