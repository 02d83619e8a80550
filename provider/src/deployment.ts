import * as pulumi from "@pulumi/pulumi";
import { KeyserviceResource } from "./dynamic-resource";
import type { ManagedInputs } from "./managed-by";
import type { Assert, SameNames } from "./outputs";
import { requireSecretToken } from "./token-config";

export interface DeploymentArgs {
  /** Unique per org; global API keys and `execute` calls name it. @default the resource name */
  name?: pulumi.Input<string>;
  /** @default true */
  active?: pulumi.Input<boolean>;
}

export interface DeploymentInputs extends ManagedInputs {
  name: string;
  active: boolean;
}

export interface DeploymentOutputs extends DeploymentInputs {
  createdAt: string;
  updatedAt: string;
}

/** The output-only properties of a deployment, declared once: seeded by KeyserviceResource, declared below (createdAt and managedBy by KeyserviceResource itself). */
export const DEPLOYMENT_OUTPUTS = ["createdAt", "updatedAt", "managedBy"] as const;

/** A deployment of the org, so that a program can create what its keys open. */
export class Deployment extends KeyserviceResource {
  /** Unique per org; global API keys and `execute` calls name it. */
  declare readonly name: pulumi.Output<string>;
  /** False: every key of the deployment is refused until it is active again. */
  declare readonly active: pulumi.Output<boolean>;
  declare readonly updatedAt: pulumi.Output<string>;

  constructor(name: string, args: DeploymentArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super("Deployment", name, { ...args, name: args.name ?? name }, DEPLOYMENT_OUTPUTS, opts);
  }
}

// Compile-time: the list is exactly the outputs that are not args, and every output is declared above or by KeyserviceResource.
type OutputsAgree = [
  Assert<SameNames<(typeof DEPLOYMENT_OUTPUTS)[number], Exclude<keyof DeploymentOutputs, keyof DeploymentArgs>>>,
  Assert<SameNames<Exclude<keyof DeploymentOutputs, keyof Deployment>, never>>,
];

export interface GetDeploymentArgs {
  name: string;
}

export interface GetDeploymentResult {
  id: string;
  name: string;
  active: boolean;
}

/**
 * Looks up an existing deployment by name, with the stack config (`keyservice:endpoint`, `:org`,
 * `:token`) or the KEYSERVICE_* variables. Runs in the program, at plan time.
 */
export async function getDeployment(args: GetDeploymentArgs): Promise<GetDeploymentResult> {
  requireSecretToken();
  const config = new pulumi.Config("keyservice");
  const endpoint = config.get("endpoint") ?? process.env.KEYSERVICE_ENDPOINT;
  const org = config.get("org") ?? process.env.KEYSERVICE_ORG;
  const token = config.get("token") ?? process.env.KEYSERVICE_TOKEN;
  if (!endpoint || !org || !token) {
    throw new Error("getDeployment needs keyservice:endpoint, keyservice:org and keyservice:token in the stack config (or KEYSERVICE_ENDPOINT, _ORG, _TOKEN).");
  }
  // Loaded here, not at the top: a program that never looks a deployment up does not load the sdk and zod.
  const { KeyserviceClient } = await import("@keyservice/sdk");
  const found = await new KeyserviceClient({ endpoint, org, token }).deployments.findByName(args.name);
  if (!found) throw new Error(`There is no deployment named "${args.name}" in org "${org}".`);
  return { id: found.id, name: found.name, active: found.isActive };
}

/** The Output form of getDeployment, for use in resource arguments. */
export function getDeploymentOutput(args: GetDeploymentArgs): pulumi.Output<GetDeploymentResult> {
  return pulumi.output(getDeployment(args));
}
