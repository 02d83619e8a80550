import { CreateMemberRequest, KeyserviceError, type Member as ServiceMember, type UpdateMemberRequest } from "@keyservice/sdk";
import type { MemberInputs, MemberOutputs } from "../member";
import type { Assert, SameNames } from "../outputs";
import { describe, isNotFound, ProviderError } from "./errors";
import * as idempotency from "./idempotency";
import { bodyOf, type BodyTable, pick } from "./props";
import { gracePeriodSeconds, nextRotationAt, PLAN_FIELDS, type PlanSettings, planChanged, planRotation, rotationChecks, rotationDue } from "./rotation";
import { client, currentOrg } from "./settings";
import { gone, type ResourceProvider } from "./types";
import { checked, failuresOf } from "./validation";

const FIELDS = { name: "name", role: "role" } as const satisfies BodyTable<CreateMemberRequest, MemberInputs>;
const INPUTS = ["name", "role", "managedBy", ...PLAN_FIELDS] as const;
type InputsListed = Assert<SameNames<(typeof INPUTS)[number], keyof MemberInputs>>;

function outputsOf(base: MemberInputs, member: ServiceMember, token: string): MemberOutputs {
  return {
    ...base,
    name: member.name,
    role: member.role,
    createdAt: member.createdAt,
    lastUsedAt: member.lastUsedAt ?? undefined,
    token,
    nextRotationAt: nextRotationAt(base),
  };
}

function patchOf(olds: MemberOutputs, news: MemberInputs): UpdateMemberRequest {
  const patch: UpdateMemberRequest = {};
  if (news.name !== olds.name) patch.name = news.name;
  if (news.role !== olds.role) patch.role = news.role;
  return patch;
}

/** Members are managed by an org admin only; say so where the service refuses a platform key. */
async function asAdmin<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof KeyserviceError && err.httpStatus === 403) {
      throw new ProviderError(`${describe(err)} A Member can only be managed with an org admin's token as keyservice:token (or KEYSERVICE_TOKEN), not a platform API key.`);
    }
    throw err;
  }
}

/** A member of the org and its token: renames and role changes are PATCHes; rotation issues a new token in place. */
export const memberProvider: ResourceProvider<MemberInputs, MemberOutputs> = {
  async check(olds, news) {
    const values = { role: "member", rotationGracePeriod: "0s", ...news };
    const failures = failuresOf(values, [{ schema: CreateMemberRequest, body: bodyOf(FIELDS, values) }, ...rotationChecks(values)], { secrets: ["rotationTriggers"] });
    if (failures.length > 0) return { failures };
    return { inputs: checked<MemberInputs>({ ...values, ...planRotation(olds, checked<PlanSettings>(values)) }) };
  },

  async diff(_id, olds, news) {
    return { changes: Object.keys(patchOf(olds, news)).length > 0 || planChanged(olds, news) || rotationDue(olds, news) };
  },

  async create(news) {
    const idempotencyKey = idempotency.createKey("member", currentOrg(), news);
    const member = await asAdmin(() => client().members.create(bodyOf(FIELDS, news), { idempotencyKey }));
    return { id: member.id, outs: outputsOf(news, member, member.token) };
  },

  async read(id, props) {
    try {
      const outs = outputsOf(props, await client().members.get(id), props.token);
      return { id, props: outs, inputs: pick(outs, INPUTS) };
    } catch (err) {
      // Removed outside the stack: an empty id drops it from state, and the next up creates it again.
      if (isNotFound(err)) return gone();
      throw err;
    }
  },

  async update(id, olds, news) {
    const api = client().members;
    const patch = patchOf(olds, news);
    let current = Object.keys(patch).length > 0 ? await asAdmin(() => api.update(id, patch)) : undefined;
    let token = olds.token;
    if (rotationDue(olds, news)) {
      const idempotencyKey = idempotency.rotateMemberToken(id, olds.token);
      const rotated = await asAdmin(() => api.rotateToken(id, { gracePeriodSeconds: gracePeriodSeconds(news) }, { idempotencyKey }));
      current = rotated;
      token = rotated.token;
    }
    const base = { ...olds, ...news };
    return { outs: current ? outputsOf(base, current, token) : { ...base, token, nextRotationAt: nextRotationAt(news) } };
  },

  async delete(id, props) {
    try {
      await asAdmin(() => client().members.delete(id));
    } catch (err) {
      if (isNotFound(err)) return;
      if (err instanceof KeyserviceError && err.httpStatus === 409) {
        throw new ProviderError(
          `Member "${props.name}" is the last admin of org "${currentOrg()}", and the service refuses to remove it (${describe(err)}). ` +
            "Make another member an admin first, then run the command again; or keep the member and let the stack forget it with `pulumi state delete <urn>`.",
        );
      }
      throw err;
    }
  },
};
