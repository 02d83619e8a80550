import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "./serialized-provider";

/** Inputs shared by every kind of API key. */
export interface ApiKeyArgs {
  /** The key's name, unique per org and kind. @default the resource name */
  name?: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** An inactive key is refused everywhere but stays in place. @default true */
  active?: pulumi.Input<boolean>;
  /** An ISO-8601 instant with an offset after which the key is refused. */
  expiresAt?: pulumi.Input<string>;
  /** Any change to this map rotates the key in place (like `@pulumi/random` keepers, without a replacement). */
  rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /** Rotate when the secret is older than this ("90d", "12h", "1h30m"), decided at plan time. */
  rotateAfter?: pulumi.Input<string>;
  /** How long the previous secret keeps working after a rotation (at most "7d"). @default "0s" */
  rotationGracePeriod?: pulumi.Input<string>;
  /** The id of an existing key to take over instead of creating one; adoption rotates it once to obtain a secret. */
  adoptExisting?: pulumi.Input<string>;
}

export interface GlobalApiKeyArgs extends ApiKeyArgs {
  /** Open every deployment of the org, now and future. @default false */
  allowAllDeployments?: pulumi.Input<boolean>;
  /** The deployments this key opens (exclusive with `allowAllDeployments`). */
  deploymentIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** What the provider sees: plain values after `check` (defaults applied, rotation planned). */
export interface GlobalApiKeyInputs {
  name: string;
  description?: string;
  active: boolean;
  expiresAt?: string;
  allowAllDeployments: boolean;
  deploymentIds: string[];
  rotationTriggers?: Record<string, string | number | boolean>;
  rotateAfter?: string;
  rotationGracePeriod: string;
  adoptExisting?: string;
  rotationAnchor: string;
  rotationReason: string;
}

/** Inputs plus what the service returns. */
export interface GlobalApiKeyOutputs extends GlobalApiKeyInputs {
  key: string;
  keyHint: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  rotatedAt?: string;
  previousKeyExpiresAt?: string;
}

/**
 * A global API key: opens a chosen group of deployments (or all of the org's). The resource id is
 * the service's key id and never changes on rotation; `key` is a secret output.
 */
export class GlobalApiKey extends pulumi.dynamic.Resource {
  /** The secret, encrypted in state. Changes only on rotation. */
  declare readonly key: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  declare readonly allowAllDeployments: pulumi.Output<boolean>;
  declare readonly deploymentIds: pulumi.Output<string[]>;
  /** The last 4 characters of the secret, safe to show. */
  declare readonly keyHint: pulumi.Output<string>;
  /** 1 on creation, +1 on every rotation. */
  declare readonly version: pulumi.Output<number>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly rotatedAt: pulumi.Output<string | undefined>;
  /** Until when the previous secret still works after the last rotation. */
  declare readonly previousKeyExpiresAt: pulumi.Output<string | undefined>;
  /** When the current secret's age started counting (plan time of its creation or rotation). */
  declare readonly rotationAnchor: pulumi.Output<string>;
  /** Why the current secret was issued. */
  declare readonly rotationReason: pulumi.Output<string>;

  constructor(name: string, args: GlobalApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider("GlobalApiKey"),
      name,
      { ...args, name: args.name ?? name, ...outputsSeed },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["key"] }),
      "keyservice",
      "GlobalApiKey",
    );
  }
}

/** Output-only properties, seeded as undefined so the engine fills them in. */
export const outputsSeed = {
  key: undefined,
  keyHint: undefined,
  version: undefined,
  createdAt: undefined,
  updatedAt: undefined,
  rotatedAt: undefined,
  previousKeyExpiresAt: undefined,
  rotationAnchor: undefined,
  rotationReason: undefined,
};
