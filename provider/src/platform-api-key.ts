import type * as pulumi from "@pulumi/pulumi";
import type { Permission } from "@keyservice/sdk";
import { type ApiKeyArgs, type ApiKeyInputs, ApiKeyResource, type ApiKeyServiceOutputs } from "./api-key";
import type { Assert, SameNames } from "./outputs";

export type { Permission };

export interface PlatformApiKeyArgs extends ApiKeyArgs {
  /** `read` allows GET; `read_write` adds POST/PATCH; `full_access` adds DELETE and minting keys. @default "read" */
  permission?: pulumi.Input<Permission>;
}

export interface PlatformApiKeyInputs extends ApiKeyInputs {
  permission: Permission;
}

export interface PlatformApiKeyOutputs extends PlatformApiKeyInputs, ApiKeyServiceOutputs {}

/** A platform API key: a bearer credential for automation against the org's API, with a tier. */
export class PlatformApiKey extends ApiKeyResource {
  declare readonly permission: pulumi.Output<Permission>;

  constructor(name: string, args: PlatformApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super("PlatformApiKey", name, args, opts);
  }
}

// Compile-time: every output is declared on the class (the output-only ones are API_KEY_OUTPUTS).
type OutputsAgree = Assert<SameNames<Exclude<keyof PlatformApiKeyOutputs, keyof PlatformApiKey>, never>>;
