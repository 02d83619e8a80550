import type * as pulumi from "@pulumi/pulumi";
import { type ApiKeyArgs, type ApiKeyInputs, ApiKeyResource, type ApiKeyServiceOutputs } from "./api-key";

export type Permission = "read" | "read_write" | "full_access";

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
