import { CreateDeploymentRequest, type Deployment } from "@keyservice/sdk";
import type { DeploymentInputs, DeploymentOutputs } from "../deployment";
import type { Assert, SameNames } from "../outputs";
import { isNotFound } from "./errors";
import * as idempotency from "./idempotency";
import { bodyOf, type BodyTable, pick } from "./props";
import { client, currentOrg } from "./settings";
import { gone, type ResourceProvider } from "./types";
import { checked, failuresOf } from "./validation";

const FIELDS = { name: "name", isActive: "active" } as const satisfies BodyTable<CreateDeploymentRequest, DeploymentInputs>;
const INPUTS = ["name", "active", "managedBy"] as const;
type InputsListed = Assert<SameNames<(typeof INPUTS)[number], keyof DeploymentInputs>>;

function outputsOf(d: Deployment): DeploymentOutputs {
  return { name: d.name, active: d.isActive, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

/** A deployment, so that examples can be complete: renames and (de)activation update in place. */
export const deploymentProvider: ResourceProvider<DeploymentInputs, DeploymentOutputs> = {
  async check(_olds, news) {
    const values = { active: true, ...news };
    const failures = failuresOf(values, [{ schema: CreateDeploymentRequest, body: bodyOf(FIELDS, values), from: FIELDS }]);
    return failures.length > 0 ? { failures } : { inputs: checked<DeploymentInputs>(values) };
  },

  async diff(_id, olds, news) {
    return { changes: olds.name !== news.name || olds.active !== news.active };
  },

  async create(news) {
    const d = await client().deployments.create(bodyOf(FIELDS, news), { idempotencyKey: idempotency.createDeploymentKey(currentOrg(), news) });
    return { id: d.id, outs: { ...news, ...outputsOf(d) } };
  },

  async read(id, props) {
    try {
      const outs = { ...props, ...outputsOf(await client().deployments.get(id)) };
      return { id, props: outs, inputs: pick(outs, INPUTS) };
    } catch (err) {
      if (isNotFound(err)) return gone();
      throw err;
    }
  },

  async update(id, olds, news) {
    const d = await client().deployments.update(id, bodyOf(FIELDS, news));
    return { outs: { ...olds, ...news, ...outputsOf(d) } };
  },

  async delete(id) {
    try {
      await client().deployments.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
