import * as pulumi from "@pulumi/pulumi";
import { KeyserviceResource } from "./dynamic-resource";
import type { ManagedInputs } from "./managed-by";
import type { Assert, SameNames } from "./outputs";

export interface LlmKeyArgs {
  /** The model provider, e.g. "openai" or "anthropic"; one key per provider per org. Changing it replaces the resource. */
  provider: pulumi.Input<string>;
  /** A label for people. */
  label: pulumi.Input<string>;
  /** The provider's secret key; always treated as a secret. A new value rotates it in place (new version, same id). */
  apiKey: pulumi.Input<string>;
}

export interface LlmKeyInputs extends ManagedInputs {
  provider: string;
  label: string;
  apiKey: string;
}

export interface LlmKeyOutputs extends LlmKeyInputs {
  /** The last 4 characters of the secret. */
  keyHint: string;
  version: number;
  /** "active", or "undecryptable" when the service can no longer open it. */
  status: "active" | "undecryptable";
  createdAt: string;
  updatedAt: string;
  /** When the secret was last replaced; unset until its first rotation. */
  rotatedAt?: string;
  /** False after a refresh found the secret changed outside the stack: the next up writes it back. */
  apiKeyInSync: boolean;
}

/** The output-only properties of an LLM key, declared once: seeded by KeyserviceResource, declared below (createdAt and managedBy by KeyserviceResource itself). */
export const LLM_KEY_OUTPUTS = ["keyHint", "version", "status", "createdAt", "updatedAt", "rotatedAt", "apiKeyInSync", "managedBy"] as const;

/** A tenant's own LLM provider key, stored encrypted by the service and shown only as a hint. */
export class LlmKey extends KeyserviceResource {
  /** The model provider; one key per provider per org. */
  declare readonly provider: pulumi.Output<string>;
  declare readonly label: pulumi.Output<string>;
  /** The provider's secret key, encrypted in state; the service keeps it sealed and never shows it. */
  declare readonly apiKey: pulumi.Output<string>;
  /** The last 4 characters of the secret, safe to show. */
  declare readonly keyHint: pulumi.Output<string>;
  /** 1 on creation, +1 each time the secret is replaced. */
  declare readonly version: pulumi.Output<number>;
  /** "active", or "undecryptable" when the service can no longer open it (its master key is gone). */
  declare readonly status: pulumi.Output<"active" | "undecryptable">;
  declare readonly updatedAt: pulumi.Output<string>;
  /** When the secret was last replaced; unset until its first rotation. */
  declare readonly rotatedAt: pulumi.Output<string | undefined>;
  declare readonly apiKeyInSync: pulumi.Output<boolean>;

  constructor(name: string, args: LlmKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super("LlmKey", name, { ...args, apiKey: pulumi.secret(args.apiKey) }, LLM_KEY_OUTPUTS, opts, ["apiKey"]);
  }
}

// Compile-time: the list is exactly the outputs that are not args, and every output is declared above or by KeyserviceResource.
type OutputsAgree = [
  Assert<SameNames<(typeof LLM_KEY_OUTPUTS)[number], Exclude<keyof LlmKeyOutputs, keyof LlmKeyArgs>>>,
  Assert<SameNames<Exclude<keyof LlmKeyOutputs, keyof LlmKey>, never>>,
];
