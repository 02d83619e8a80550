import { Id, type GlobalApiKey, type KeyserviceClient, type PlatformApiKey, type RotateKeyRequest, type UpdateGlobalApiKeyRequest, type WriteOptions } from "@keyservice/sdk";
import { z } from "zod";
import type { ApiKeyInputs, ApiKeyOutputs } from "../api-key";
import type { Assert, SameNames } from "../outputs";
import { afterCreated, isNotFound, ProviderError } from "./errors";
import * as idempotency from "./idempotency";
import { bodyOf, type BodyTable } from "./props";
import { gracePeriodSeconds, nextRotationAt, PLAN_FIELDS, type PlanSettings, planChanged, planRotation, rotationChecks, rotationDue, staleSecret } from "./rotation";
import { client, currentOrg } from "./settings";
import { gone, type ResourceProvider } from "./types";
import { isUnknown, same } from "./unknown";
import { checked, failuresOf } from "./validation";

type ServiceKey = GlobalApiKey | PlatformApiKey;

/** The calls of one kind of API key (the client's `globalApiKeys` or `platformApiKeys`). */
export interface KeyApi<Key extends ServiceKey, Create, Update> {
  create(body: Create, opts: WriteOptions): Promise<Key & { key: string }>;
  get(id: string): Promise<Key>;
  update(id: string, body: Update): Promise<Key>;
  delete(id: string): Promise<void>;
  rotate(id: string, body: RotateKeyRequest, opts: WriteOptions): Promise<Key & { key: string }>;
}

/** What differs between global and platform keys; everything else is shared. */
export interface ApiKeyKind<I extends ApiKeyInputs, O extends ApiKeyOutputs & I, Key extends ServiceKey, Create, Update> {
  kind: "global" | "platform";
  api(c: KeyserviceClient): KeyApi<Key, Create, Update>;
  /** The sdk's create request, which `check` validates the inputs with. */
  createRequest: z.ZodObject;
  /** Which input each field of the create request comes from. */
  createFields: BodyTable<Create, I>;
  /** Defaults of this kind's own inputs. */
  defaults: Partial<I>;
  /** The fields of this kind's create request that are not sent as the inputs hold them (see `createBody`). */
  createBodyFields?(news: I): Partial<Create>;
  /** The patch of this kind's own fields that differ (olds are outputs, as the service last showed them). */
  patch(olds: O, news: I): Update;
  /** The outputs from `base` (inputs, or the previous outputs with the new inputs), the service's view of the key, and the secret. */
  outputs(base: I, key: Key, secret: string): O;
  /** The inputs that outputs imply: refresh hands them back, so drift made outside the stack shows in the next preview. */
  inputs(outs: O): I;
}

/** The inputs every API key has, and so reads back on refresh. */
export const API_KEY_INPUTS = ["name", "description", "active", "expiresAt", "adoptExisting", "managedBy", ...PLAN_FIELDS] as const;
type InputsListed = Assert<SameNames<(typeof API_KEY_INPUTS)[number], keyof ApiKeyInputs>>;

/** The create request's fields every API key has, and the input each comes from. */
export const API_KEY_CREATE_FIELDS = { name: "name", description: "description", isActive: "active", expiresAt: "expiresAt" } as const;

/** The service's view of any API key as outputs, with the secret the stack holds and when age will next rotate it. */
export function keyOutputs(key: ServiceKey, base: Pick<ApiKeyInputs, "rotateAfter" | "rotationAnchor">, secret: string) {
  return {
    name: key.name,
    description: key.description ?? undefined,
    active: key.isActive,
    expiresAt: key.expiresAt ?? undefined,
    key: secret,
    keyHint: key.keyHint,
    version: key.version,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    lastUsedAt: key.lastUsedAt ?? undefined,
    rotatedAt: key.rotatedAt ?? undefined,
    previousKeyExpiresAt: key.previousKeyExpiresAt ?? undefined,
    nextRotationAt: nextRotationAt(base),
  } satisfies Partial<ApiKeyOutputs>;
}

type CommonPatch = Pick<UpdateGlobalApiKeyRequest, "name" | "description" | "isActive" | "expiresAt">;

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (!a || !b) return !a && !b;
  return Date.parse(a) === Date.parse(b);
}

function commonPatch(olds: ApiKeyOutputs, news: ApiKeyInputs): CommonPatch {
  const patch: CommonPatch = {};
  if (news.name !== olds.name) patch.name = news.name;
  if ((news.description ?? null) !== (olds.description ?? null)) patch.description = news.description ?? null;
  if (news.active !== olds.active) patch.isActive = news.active;
  if (!sameInstant(news.expiresAt, olds.expiresAt)) patch.expiresAt = news.expiresAt ?? null;
  return patch;
}

const Adoption = z.object({ adoptExisting: Id.optional() });

/** The provider for a kind of API key: validation, plan-time rotation, PATCH updates, adoption. */
export function apiKeyProvider<I extends ApiKeyInputs, O extends ApiKeyOutputs & I, Key extends ServiceKey, Create, Update>(
  spec: ApiKeyKind<I, O, Key, Create, Update>,
): ResourceProvider<I, O> {
  const patchOf = (olds: O, news: I) => ({ ...commonPatch(olds, news), ...spec.patch(olds, news) });
  // Byte for byte what earlier versions sent: the service fingerprints the body of an Idempotency-Key, so a retry across an upgrade replays.
  const createBody = (news: I) => ({ ...bodyOf(spec.createFields, news), expiresAt: news.expiresAt ?? null, ...spec.createBodyFields?.(news) }) as Create;

  async function adopt(api: KeyApi<Key, Create, Update>, id: string, news: I) {
    let existing: Key;
    try {
      existing = await api.get(id);
    } catch (err) {
      if (isNotFound(err)) throw new ProviderError(`adoptExisting "${id}" is not a ${spec.kind} API key of org "${currentOrg()}".`);
      throw err;
    }
    // Adoption rotates once: an existing secret can never be read back.
    const rotated = await api.rotate(existing.id, { gracePeriodSeconds: gracePeriodSeconds(news) }, { idempotencyKey: idempotency.adoptKey(existing.id, existing.version) });
    const known = spec.outputs(news, rotated, rotated.key);
    const patch = patchOf(known, news);
    if (Object.keys(patch).length === 0) return { id: existing.id, outs: known };
    const updated = await afterCreated(existing.id, known, "Updating the adopted key", () => api.update(existing.id, patch));
    return { id: existing.id, outs: spec.outputs(known, updated, rotated.key) };
  }

  return {
    async check(olds, news) {
      const values = { active: true, rotationGracePeriod: "0s", ...spec.defaults, ...news };
      const failures = failuresOf(
        values,
        [
          { schema: spec.createRequest, body: bodyOf(spec.createFields, values), from: spec.createFields },
          ...rotationChecks(values),
          { schema: Adoption, body: { adoptExisting: values.adoptExisting } },
        ],
        { secrets: ["rotationTriggers"] },
      );
      if (failures.length > 0) return { failures };
      return { inputs: checked<I>({ ...values, ...planRotation(olds, checked<PlanSettings>(values)) }) };
    },

    async diff(_id, olds, news) {
      const changes = Object.keys(patchOf(olds, news)).length > 0 || planChanged(olds, news) || !same(olds.adoptExisting, news.adoptExisting) || rotationDue(olds, news);
      return { changes };
    },

    async create(news) {
      const api = spec.api(client());
      if (news.adoptExisting !== undefined) return adopt(api, news.adoptExisting, news);
      const key = await api.create(createBody(news), { idempotencyKey: idempotency.createKey(spec.kind, currentOrg(), news) });
      return { id: key.id, outs: spec.outputs(news, key, key.key) };
    },

    async read(id, props) {
      try {
        const key = await spec.api(client()).get(id);
        // The service's key moved past the state's version: its secret stops (or stopped) working; plan a rotation.
        const plan = typeof props.version === "number" && key.version !== props.version ? staleSecret() : {};
        const outs = spec.outputs({ ...props, ...plan }, key, props.key);
        return { id, props: outs, inputs: spec.inputs(outs) };
      } catch (err) {
        // Deleted outside the stack: an empty id drops it from state, and the next up recreates it.
        if (isNotFound(err)) return gone();
        throw err;
      }
    },

    async update(id, olds, news) {
      const api = spec.api(client());
      const patch = patchOf(olds, news);
      let current = Object.keys(patch).length > 0 ? await api.update(id, patch) : undefined;
      let secret = olds.key;
      if (rotationDue(olds, news)) {
        const rotated = await api.rotate(id, { gracePeriodSeconds: gracePeriodSeconds(news) }, { idempotencyKey: idempotency.rotateKey(id, olds.version) });
        current = rotated;
        secret = rotated.key;
      }
      const base = { ...olds, ...news };
      return { outs: current ? spec.outputs(base, current, secret) : { ...base, key: secret, nextRotationAt: nextRotationAt(news) } };
    },

    async delete(id) {
      try {
        await spec.api(client()).delete(id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };
}
