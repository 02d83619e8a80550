import type { LlmKey } from "@keyservice/sdk";
import { isNotFound } from "./errors";
import { Failures } from "./failures";
import { client } from "./settings";
import type { ProviderImpl } from "./types";
import { same } from "./unknown";

type Props = Record<string, unknown>;

function outputsOf(key: LlmKey): Props {
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
export const llmKeyProvider: ProviderImpl = {
  async check(_olds, news) {
    const f = new Failures();
    f.string(news, "provider", { required: true, min: 1, max: 100 });
    f.string(news, "label", { required: true, min: 1, max: 255 });
    // The secret is never quoted back, only its length.
    f.string(news, "apiKey", { required: true, min: 1, max: 4096 });
    return f.list.length > 0 ? { inputs: news, failures: f.list.map((x) => (x.property === "apiKey" ? { ...x, reason: "apiKey must be 1 to 4096 characters." } : x)) } : { inputs: news };
  },

  async diff(_id, olds, news) {
    const replaces = same(olds.provider, news.provider) ? [] : ["provider"];
    const changes = replaces.length > 0 || !same(olds.label, news.label) || !same(olds.apiKey, news.apiKey) || olds.apiKeyInSync === false;
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(news) {
    const key = await client().llmKeys.create({ provider: String(news.provider), label: String(news.label), apiKey: String(news.apiKey) });
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
      if (isNotFound(err)) return { id: "", props: {} };
      throw err;
    }
  },

  async update(id, olds, news) {
    const patch: Props = {};
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
