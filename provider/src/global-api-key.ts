import type * as pulumi from "@pulumi/pulumi";
import { type ApiKeyArgs, type ApiKeyInputs, ApiKeyResource, type ApiKeyServiceOutputs } from "./api-key";
import type { Assert, SameNames } from "./outputs";

export interface GlobalApiKeyArgs extends ApiKeyArgs {
  /** Open every deployment of the org, now and future. @default false */
  allowAllDeployments?: pulumi.Input<boolean>;
  /** The deployments this key opens (exclusive with `allowAllDeployments`). */
  deploymentIds?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface GlobalApiKeyInputs extends ApiKeyInputs {
  allowAllDeployments: boolean;
  deploymentIds: string[];
}

export interface GlobalApiKeyOutputs extends GlobalApiKeyInputs, ApiKeyServiceOutputs {}

/**
 * A global API key: opens a chosen group of deployments (or all of the org's). The resource id is
 * the service's key id and never changes on rotation; `key` is a secret output.
 */
export class GlobalApiKey extends ApiKeyResource {
  declare readonly allowAllDeployments: pulumi.Output<boolean>;
  declare readonly deploymentIds: pulumi.Output<string[]>;

  constructor(name: string, args: GlobalApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super("GlobalApiKey", name, args, opts);
  }
}

// Compile-time: every output is declared on the class (the output-only ones are API_KEY_OUTPUTS).
type OutputsAgree = Assert<SameNames<Exclude<keyof GlobalApiKeyOutputs, keyof GlobalApiKey>, never>>;
