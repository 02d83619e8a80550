import * as pulumi from "@pulumi/pulumi";
import type { Role } from "@keyservice/sdk";
import { KeyserviceResource } from "./dynamic-resource";
import type { Assert, SameNames } from "./outputs";
import type { RotationArgs, RotationInputs, RotationOutputs } from "./rotation-settings";

export type { Role };

export interface MemberArgs extends RotationArgs {
  /** The member's name, unique in the org. @default the resource name */
  name?: pulumi.Input<string>;
  /** An `admin` manages the org (members, keys, audit); a `member` reads and uses what it is given. @default "member" */
  role?: pulumi.Input<Role>;
}

export interface MemberInputs extends RotationInputs {
  name: string;
  role: Role;
}

export interface MemberOutputs extends MemberInputs, RotationOutputs {
  /** The member's bearer token (`ks_usr_…`); a secret, encrypted in state. Changes only on rotation. */
  token: string;
  createdAt: string;
  /** When the member's token was last used, as of the last create, update or refresh; unset while never used. */
  lastUsedAt?: string;
}

/** The output-only properties of a member, declared once: seeded by KeyserviceResource, declared below (createdAt and managedBy by KeyserviceResource itself). */
export const MEMBER_OUTPUTS = ["token", "createdAt", "lastUsedAt", "rotationAnchor", "rotationReason", "nextRotationAt", "managedBy"] as const;

/**
 * A member of the org — a person or, typically, an automation user — with a bearer token that
 * rotates like an API key's secret (`rotationTriggers`, `rotateAfter`, `rotationGracePeriod`).
 * Only an org admin's token may manage members: a platform API key is refused (403).
 */
export class Member extends KeyserviceResource {
  /** The token, encrypted in state. Changes only on rotation. */
  declare readonly token: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly role: pulumi.Output<Role>;
  /** When the token was last used, as of the last create, update or refresh; unset while never used. Never plans a change. */
  declare readonly lastUsedAt: pulumi.Output<string | undefined>;
  /** When the current token's age started counting (plan time of its creation or rotation). */
  declare readonly rotationAnchor: pulumi.Output<string>;
  /** Why the current token was issued: "created", "rotationTriggers changed" or "rotateAfter ... elapsed". */
  declare readonly rotationReason: pulumi.Output<string>;
  declare readonly rotationTriggers: pulumi.Output<Record<string, string | number | boolean> | undefined>;
  declare readonly rotateAfter: pulumi.Output<string | undefined>;
  declare readonly rotationGracePeriod: pulumi.Output<string>;
  /** When a `pulumi up` will next rotate the token for its age; unset without `rotateAfter`. */
  declare readonly nextRotationAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: MemberArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super("Member", name, { ...args, name: args.name ?? name }, MEMBER_OUTPUTS, opts, ["token"]);
  }
}

// Compile-time: the list is exactly the outputs that are not args, and every output is declared above or by KeyserviceResource.
type OutputsAgree = [
  Assert<SameNames<(typeof MEMBER_OUTPUTS)[number], Exclude<keyof MemberOutputs, keyof MemberArgs>>>,
  Assert<SameNames<Exclude<keyof MemberOutputs, keyof Member>, never>>,
];
