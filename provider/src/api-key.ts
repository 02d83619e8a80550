import * as pulumi from "@pulumi/pulumi";
import { KeyserviceResource } from "./dynamic-resource";
import type { Assert, SameNames } from "./outputs";
import type { RotationArgs, RotationInputs, RotationOutputs } from "./rotation-settings";
import type { ResourceKind } from "./runtime";

/** Inputs shared by every kind of API key. */
export interface ApiKeyArgs extends RotationArgs {
  /** The key's name, unique per org and kind. @default the resource name */
  name?: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** An inactive key is refused everywhere but stays in place. @default true */
  active?: pulumi.Input<boolean>;
  /** An ISO-8601 instant with an offset after which the key is refused. */
  expiresAt?: pulumi.Input<string>;
  /** The id of an existing key to take over instead of creating one; adoption rotates it once to obtain a secret. */
  adoptExisting?: pulumi.Input<string>;
}

/** What the provider sees for any API key: plain values after `check` (defaults applied, rotation planned). */
export interface ApiKeyInputs extends RotationInputs {
  name: string;
  description?: string;
  active: boolean;
  expiresAt?: string;
  adoptExisting?: string;
}

/** What the service adds to any API key's inputs. */
export interface ApiKeyServiceOutputs extends RotationOutputs {
  key: string;
  keyHint: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** When the key last opened something (the service records it in batches); unset while never used. */
  lastUsedAt?: string;
  rotatedAt?: string;
  previousKeyExpiresAt?: string;
}

/** Every output of any API key: its inputs, and what the service and the rotation plan add. */
export interface ApiKeyOutputs extends ApiKeyInputs, ApiKeyServiceOutputs {}

/** The output-only properties of every API key, declared once: seeded by KeyserviceResource, declared below (createdAt and managedBy by KeyserviceResource itself). */
export const API_KEY_OUTPUTS = [
  "key",
  "keyHint",
  "version",
  "createdAt",
  "updatedAt",
  "lastUsedAt",
  "rotatedAt",
  "previousKeyExpiresAt",
  "rotationAnchor",
  "rotationReason",
  "nextRotationAt",
  "managedBy",
] as const;

/** The outputs every API key resource has; `key` is a secret. */
export abstract class ApiKeyResource extends KeyserviceResource {
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
  declare readonly updatedAt: pulumi.Output<string>;
  /** When the key was last used, as of the last create, update or refresh; unset while never used. Never plans a change. */
  declare readonly lastUsedAt: pulumi.Output<string | undefined>;
  declare readonly rotatedAt: pulumi.Output<string | undefined>;
  /** Until when the previous secret still works after the last rotation. */
  declare readonly previousKeyExpiresAt: pulumi.Output<string | undefined>;
  /** When the current secret's age started counting (plan time of its creation or rotation). */
  declare readonly rotationAnchor: pulumi.Output<string>;
  /** Why the current secret was issued: "created", "adopted", "rotationTriggers changed" or "rotateAfter ... elapsed". */
  declare readonly rotationReason: pulumi.Output<string>;
  declare readonly rotationTriggers: pulumi.Output<Record<string, string | number | boolean> | undefined>;
  declare readonly rotateAfter: pulumi.Output<string | undefined>;
  /** When a `pulumi up` will next rotate the key for its age (`rotationAnchor` + `rotateAfter`); unset without `rotateAfter`. */
  declare readonly nextRotationAt: pulumi.Output<string | undefined>;
  declare readonly rotationGracePeriod: pulumi.Output<string>;
  declare readonly adoptExisting: pulumi.Output<string | undefined>;

  protected constructor(kind: ResourceKind, name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(kind, name, { ...args, name: args.name ?? name }, API_KEY_OUTPUTS, opts, ["key"]);
  }
}

// Compile-time: the list is exactly the outputs that are not args, and every output is declared above or by KeyserviceResource.
type OutputsAgree = [
  Assert<SameNames<(typeof API_KEY_OUTPUTS)[number], Exclude<keyof ApiKeyOutputs, keyof ApiKeyArgs>>>,
  Assert<SameNames<Exclude<keyof ApiKeyOutputs, keyof ApiKeyResource>, never>>,
];
