import { CreatePlatformApiKeyRequest, type PlatformApiKey, type UpdatePlatformApiKeyRequest } from "@keyservice/sdk";
import type { Assert, SameNames } from "../outputs";
import type { PlatformApiKeyInputs, PlatformApiKeyOutputs } from "../platform-api-key";
import { API_KEY_CREATE_FIELDS, API_KEY_INPUTS, apiKeyProvider, keyOutputs } from "./api-key-provider";
import { type BodyTable, pick } from "./props";

const INPUTS = [...API_KEY_INPUTS, "permission"] as const;
type InputsListed = Assert<SameNames<(typeof INPUTS)[number], keyof PlatformApiKeyInputs>>;

const CREATE_FIELDS = { ...API_KEY_CREATE_FIELDS, permission: "permission" } as const satisfies BodyTable<CreatePlatformApiKeyRequest, PlatformApiKeyInputs>;

export const platformApiKeyProvider = apiKeyProvider<PlatformApiKeyInputs, PlatformApiKeyOutputs, PlatformApiKey, CreatePlatformApiKeyRequest, UpdatePlatformApiKeyRequest>({
  kind: "platform",
  api: (c) => c.platformApiKeys,
  createRequest: CreatePlatformApiKeyRequest,
  createFields: CREATE_FIELDS,
  defaults: { permission: "read" },
  patch: (olds, news) => (news.permission !== olds.permission ? { permission: news.permission } : {}),
  outputs: (base, key, secret) => ({ ...base, ...keyOutputs(key, base, secret), permission: key.permission }),
  inputs: (outs) => pick(outs, INPUTS),
});
