import { CreateLlmKeyRequest, type LlmKey as ServiceLlmKey, type UpdateLlmKeyRequest } from "@keyservice/sdk";
import type { LlmKeyInputs, LlmKeyOutputs } from "../llm-key";
import { isNotFound } from "./errors";
import * as idempotency from "./idempotency";
import { bodyOf, type BodyTable } from "./props";
import { client, currentOrg } from "./settings";
import { gone, type ResourceProvider } from "./types";
import { same } from "./unknown";
import { checked, failuresOf } from "./validation";

const FIELDS = { provider: "provider", label: "label", apiKey: "apiKey" } as const satisfies BodyTable<CreateLlmKeyRequest, LlmKeyInputs>;

function outputsOf(key: ServiceLlmKey): Omit<LlmKeyOutputs, "apiKey" | "apiKeyInSync"> {
  return {
    provider: key.provider,
    label: key.label,
    keyHint: key.keyHint,
    version: key.version,
    status: key.status,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    rotatedAt: key.rotatedAt ?? undefined,
  };
}

/** A tenant's provider key: a new `apiKey` updates in place (new version, same id); a new `provider` replaces. */
export const llmKeyProvider: ResourceProvider<LlmKeyInputs, LlmKeyOutputs> = {
  async check(_olds, news) {
    // The secret is never quoted back, and its failures are not attached to it (the engine would print it).
    const failures = failuresOf(news, [{ schema: CreateLlmKeyRequest, body: bodyOf(FIELDS, news) }], { secrets: ["apiKey"] });
    return failures.length > 0 ? { failures } : { inputs: checked<LlmKeyInputs>(news) };
  },

  async diff(_id, olds, news) {
    const replaces = same(olds.provider, news.provider) ? [] : ["provider"];
    const changes = replaces.length > 0 || !same(olds.label, news.label) || !same(olds.apiKey, news.apiKey) || olds.apiKeyInSync === false;
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(news) {
    const key = await client().llmKeys.create(bodyOf(FIELDS, news), { idempotencyKey: idempotency.createLlmKeyKey(currentOrg(), news) });
    return { id: key.id, outs: { ...news, ...outputsOf(key), apiKeyInSync: true } };
  },

  async read(id, props) {
    const api = client().llmKeys;
    try {
      const key = await api.get(id);
      // The secret is never read back: the service compares it in constant time.
      const inSync = typeof props.apiKey === "string" && key.status === "active" ? (await api.verify(id, { apiKey: props.apiKey })).matches : false;
      return { id, props: { ...props, ...outputsOf(key), apiKeyInSync: inSync } };
    } catch (err) {
      if (isNotFound(err)) return gone();
      throw err;
    }
  },

  async update(id, olds, news) {
    const patch: UpdateLlmKeyRequest = {};
    if (!same(olds.label, news.label)) patch.label = news.label;
    if (!same(olds.apiKey, news.apiKey) || olds.apiKeyInSync === false) patch.apiKey = news.apiKey;
    const key = await client().llmKeys.update(id, patch);
    return { outs: { ...olds, ...news, ...outputsOf(key), apiKeyInSync: true } };
  },

  async delete(id) {
    try {
      await client().llmKeys.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};
