import { createHash } from "node:crypto";
import type { GlobalApiKeyWithSecret, KeyserviceClient, PlatformApiKey, GlobalApiKey, PlatformApiKeyWithSecret } from "@keyservice/sdk";
import { MAX_GRACE_PERIOD_SECONDS } from "@keyservice/sdk";
import { afterCreated, isNotFound, ProviderError } from "./errors";
import { Failures } from "./failures";
import { gracePeriodSeconds, nextRotationAt, planRotation, rotationDue } from "./rotation";
import { client, currentOrg } from "./settings";
import type { ProviderImpl } from "./types";
import { isUnknown, same } from "./unknown";

type Props = Record<string, unknown>;
type ServiceKey = GlobalApiKey | PlatformApiKey;
type ServiceKeyWithSecret = GlobalApiKeyWithSecret | PlatformApiKeyWithSecret;

/** What differs between global and platform keys; everything else is shared. */
export interface ApiKeySpec {
  kind: "global" | "platform";
  label: string;
  api(c: KeyserviceClient): {
    create(body: Props, opts: { idempotencyKey: string }): Promise<ServiceKeyWithSecret>;
    get(id: string): Promise<ServiceKey>;
    update(id: string, body: Props): Promise<ServiceKey>;
    delete(id: string): Promise<void>;
    rotate(id: string, body: { gracePeriodSeconds: number }, opts: { idempotencyKey: string }): Promise<ServiceKeyWithSecret>;
  };
  /** Defaults for this kind's own inputs. */
  defaults(news: Props): Props;
  validate(f: Failures, news: Props): void;
  /** The service body for this kind's own fields. */
  createBody(news: Props): Props;
  /** Patches for this kind's own fields that differ (olds are outputs, as the service last showed them). */
  patch(olds: Props, news: Props): Props;
  /** This kind's own outputs from the service's view of the key. */
  outputs(key: ServiceKey): Props;
  /** This kind's own inputs that the service owns (refresh reads them back as inputs). */
  inputFields: string[];
}

/** Inputs that never reach the service but live in state (and so make an update when they change). */
const PLAN_FIELDS = ["rotationTriggers", "rotateAfter", "rotationGracePeriod", "rotationAnchor", "rotationReason", "adoptExisting"];
/** Inputs the service owns: refresh reads them back, so drift shows in the next preview. */
const SERVICE_FIELDS = ["name", "description", "active", "expiresAt"];

function pick(props: Props, keys: string[]): Props {
  return Object.fromEntries(keys.filter((k) => k in props).map((k) => [k, props[k]]));
}

function idempotencyKey(text: string): string {
  return "pulumi-" + createHash("sha256").update(text).digest("hex").slice(0, 48);
}

function sameInstant(a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (!a || !b) return !a && !b;
  return Date.parse(String(a)) === Date.parse(String(b));
}

function commonPatch(olds: Props, news: Props): Props {
  const patch: Props = {};
  if (news.name !== olds.name) patch.name = news.name;
  if ((news.description ?? null) !== (olds.description ?? null)) patch.description = news.description ?? null;
  if ((news.active ?? true) !== olds.active) patch.isActive = news.active ?? true;
  if (!sameInstant(news.expiresAt, olds.expiresAt)) patch.expiresAt = news.expiresAt ?? null;
  return patch;
}

function commonOutputs(key: ServiceKey): Props {
  return {
    name: key.name,
    description: key.description ?? undefined,
    active: key.isActive,
    expiresAt: key.expiresAt ?? undefined,
    keyHint: key.keyHint,
    version: key.version,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    rotatedAt: key.rotatedAt ?? undefined,
    previousKeyExpiresAt: key.previousKeyExpiresAt ?? undefined,
  };
}

/** The provider for a kind of API key: validation, plan-time rotation, PATCH updates, adoption. */
export function apiKeyProvider(spec: ApiKeySpec): ProviderImpl {
  const outputsOf = (key: ServiceKey): Props => ({ ...commonOutputs(key), ...spec.outputs(key) });
  const patchOf = (olds: Props, news: Props): Props => ({ ...commonPatch(olds, news), ...spec.patch(olds, news) });

  return {
    async check(olds, news) {
      const inputs: Props = { active: true, rotationGracePeriod: "0s", ...spec.defaults(news), ...news };
      const f = new Failures();
      f.string(inputs, "name", { required: true, min: 1, max: 255 });
      f.string(inputs, "description", { max: 1000 });
      f.boolean(inputs, "active");
      f.instant(inputs, "expiresAt");
      f.triggers(inputs, "rotationTriggers");
      f.duration(inputs, "rotateAfter");
      f.duration(inputs, "rotationGracePeriod", MAX_GRACE_PERIOD_SECONDS * 1000);
      f.string(inputs, "adoptExisting", { min: 1 });
      spec.validate(f, inputs);
      if (f.list.length > 0) return { inputs, failures: f.list };
      return { inputs: { ...inputs, ...planRotation(olds, inputs) } };
    },

    async diff(_id, olds, news) {
      const patch = patchOf(olds, news);
      const planChanged = PLAN_FIELDS.some((k) => !same(olds[k], news[k]));
      return { changes: Object.keys(patch).length > 0 || planChanged || rotationDue(olds, news) };
    },

    async create(news) {
      const api = spec.api(client());
      if (typeof news.adoptExisting === "string") {
        let existing: ServiceKey;
        try {
          existing = await api.get(news.adoptExisting);
        } catch (err) {
          if (isNotFound(err)) throw new ProviderError(`adoptExisting "${news.adoptExisting}" is not a ${spec.label} of org "${currentOrg()}".`);
          throw err;
        }
        // Adoption rotates once: an existing secret can never be read back.
        const rotated = await api.rotate(existing.id, { gracePeriodSeconds: gracePeriodSeconds(news) }, { idempotencyKey: idempotencyKey(`adopt:${existing.id}:from-v${existing.version}`) });
        const known = { ...news, ...outputsOf(rotated), key: rotated.key, nextRotationAt: nextRotationAt(news) };
        const patch = patchOf(outputsOf(rotated), news);
        if (Object.keys(patch).length === 0) return { id: existing.id, outs: known };
        const updated = await afterCreated(existing.id, known, "Updating the adopted key", () => api.update(existing.id, patch));
        return { id: existing.id, outs: { ...known, ...outputsOf(updated) } };
      }
      const body = {
        name: news.name,
        description: news.description,
        isActive: news.active ?? true,
        expiresAt: news.expiresAt ?? null,
        ...spec.createBody(news),
      };
      const key = await api.create(body, { idempotencyKey: idempotencyKey(`create:${spec.kind}:${currentOrg()}:${news.name}:${news.rotationAnchor}`) });
      return { id: key.id, outs: { ...news, ...outputsOf(key), key: key.key, nextRotationAt: nextRotationAt(news) } };
    },

    async read(id, props) {
      try {
        const current = outputsOf(await spec.api(client()).get(id));
        const serviceFields = [...SERVICE_FIELDS, ...spec.inputFields];
        const inputs = { ...pick(props, PLAN_FIELDS), ...pick(current, serviceFields) };
        return { id, props: { ...props, ...current }, inputs };
      } catch (err) {
        // Deleted outside the stack: an empty id drops it from state, and the next up recreates it.
        if (isNotFound(err)) return { id: "", props: {} };
        throw err;
      }
    },

    async update(id, olds, news) {
      const api = spec.api(client());
      const patch = patchOf(olds, news);
      let current: Props = {};
      if (Object.keys(patch).length > 0) current = outputsOf(await api.update(id, patch));
      let key = olds.key;
      if (rotationDue(olds, news)) {
        const rotated = await api.rotate(id, { gracePeriodSeconds: gracePeriodSeconds(news) }, { idempotencyKey: idempotencyKey(`rotate:${id}:from-v${olds.version}`) });
        current = outputsOf(rotated);
        key = rotated.key;
      }
      return { outs: { ...olds, ...news, ...current, key, nextRotationAt: nextRotationAt(news) } };
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
