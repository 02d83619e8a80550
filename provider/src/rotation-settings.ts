import type * as pulumi from "@pulumi/pulumi";
import type { ManagedInputs } from "./managed-by";

/** The rotation knobs every resource with a secret shares (API keys, members). */
export interface RotationArgs {
  /** Any change to this map rotates the secret in place (like `@pulumi/random` keepers, without a replacement). Values may be secrets. */
  rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /** Rotate when the secret is older than this ("90d", "12h", "1h30m"), decided at plan time. */
  rotateAfter?: pulumi.Input<string>;
  /** How long the previous secret keeps working after a rotation (at most "7d"). @default "0s" */
  rotationGracePeriod?: pulumi.Input<string>;
}

/** The rotation knobs as the provider sees them after `check` (defaults applied, rotation planned). */
export interface RotationInputs extends ManagedInputs {
  rotationTriggers?: Record<string, string | number | boolean>;
  rotateAfter?: string;
  rotationGracePeriod: string;
  /** When the current secret's age started counting (plan time of its creation or rotation). */
  rotationAnchor: string;
  /** Why the current secret was issued: "created", "adopted", "rotationTriggers changed", "rotateAfter ... elapsed" or that the secret in state stopped working. */
  rotationReason: string;
}

/** What the provider adds to the rotation knobs. */
export interface RotationOutputs {
  /** When a `pulumi up` will next rotate the secret for its age (`rotationAnchor` + `rotateAfter`); unset without `rotateAfter`. */
  nextRotationAt?: string;
}
