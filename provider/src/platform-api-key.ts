import * as pulumi from "@pulumi/pulumi";
import { type ApiKeyArgs, outputsSeed } from "./global-api-key";
import { serializedProvider } from "./serialized-provider";

export type Permission = "read" | "read_write" | "full_access";

export interface PlatformApiKeyArgs extends ApiKeyArgs {
  /** `read` allows GET; `read_write` adds POST/PATCH; `full_access` adds DELETE and minting keys. @default "read" */
  permission?: pulumi.Input<Permission>;
}

export interface PlatformApiKeyInputs {
  name: string;
  description?: string;
  active: boolean;
  expiresAt?: string;
  permission: Permission;
  rotationTriggers?: Record<string, string | number | boolean>;
  rotateAfter?: string;
  rotationGracePeriod: string;
  adoptExisting?: string;
  rotationAnchor: string;
  rotationReason: string;
}

export interface PlatformApiKeyOutputs extends PlatformApiKeyInputs {
  key: string;
  keyHint: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  rotatedAt?: string;
  previousKeyExpiresAt?: string;
}

/** A platform API key: a bearer credential for automation against the org's API, with a tier. */
export class PlatformApiKey extends pulumi.dynamic.Resource {
  /** The secret, encrypted in state. Changes only on rotation. */
  declare readonly key: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  declare readonly permission: pulumi.Output<Permission>;
  declare readonly keyHint: pulumi.Output<string>;
  declare readonly version: pulumi.Output<number>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly rotatedAt: pulumi.Output<string | undefined>;
  declare readonly previousKeyExpiresAt: pulumi.Output<string | undefined>;
  declare readonly rotationAnchor: pulumi.Output<string>;
  declare readonly rotationReason: pulumi.Output<string>;

  constructor(name: string, args: PlatformApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider("PlatformApiKey"),
      name,
      { ...args, name: args.name ?? name, ...outputsSeed },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["key"] }),
      "keyservice",
      "PlatformApiKey",
    );
  }
}
