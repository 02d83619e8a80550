import * as pulumi from "@pulumi/pulumi";

// The provider reports the Node of the process the engine runs it in (the dynamic-provider plugin).
const where: pulumi.dynamic.ResourceProvider = {
  create: async () => ({ id: "runtime", outs: { node: process.version } }),
};

class Where extends pulumi.dynamic.Resource {
  declare readonly node: pulumi.Output<string>;
  constructor(name: string) {
    super(where, name, { node: undefined }, {});
  }
}

export const programNode = process.version;
export const programSdk: string = require("@pulumi/pulumi/package.json").version;
export const providerNode = new Where("where").node;
