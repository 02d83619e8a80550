import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./runtime";
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

/** What the provider sees for any API key: plain values after `check` (defaults applied, rotation planned). */
export interface ApiKeyInputs {
  name: string;
  description?: string;
  active: boolean;
  expiresAt?: string;
  rotationTriggers?: Record<string, string | number | boolean>;
  rotateAfter?: string;
  rotationGracePeriod: string;
  adoptExisting?: string;
  /** When the current secret's age started counting (plan time of its creation or rotation). */
  rotationAnchor: string;
  /** Why the current secret was issued. */
  rotationReason: string;
}

/** What the service adds to any API key's inputs. */
export interface ApiKeyServiceOutputs {
  key: string;
  nextRotationAt?: string;
  keyHint: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  rotatedAt?: string;
  previousKeyExpiresAt?: string;
}

/** The outputs every API key resource has; `key` is a secret. */
export abstract class ApiKeyResource extends pulumi.dynamic.Resource {
  /** The secret, encrypted in state. Changes only on rotation. */
  declare readonly key: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly expiresAt: pulumi.Output<string | undefined>;
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
  /** Why the current secret was issued: "created", "adopted", "rotationTriggers changed" or "rotateAfter ... elapsed". */
  declare readonly rotationReason: pulumi.Output<string>;
  declare readonly rotateAfter: pulumi.Output<string | undefined>;
  /** When a `pulumi up` will next rotate the key for its age (`rotationAnchor` + `rotateAfter`); unset without `rotateAfter`. */
  declare readonly nextRotationAt: pulumi.Output<string | undefined>;
  declare readonly rotationGracePeriod: pulumi.Output<string>;

  protected constructor(kind: ResourceKind, name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider(kind),
      name,
      {
        ...args,
        name: args.name ?? name,
        // Output-only properties, seeded as undefined so the engine fills them in.
        key: undefined,
        keyHint: undefined,
        version: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        rotatedAt: undefined,
        previousKeyExpiresAt: undefined,
        rotationAnchor: undefined,
        rotationReason: undefined,
        nextRotationAt: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["key"] }),
      "keyservice",
      kind,
    );
  }
}
