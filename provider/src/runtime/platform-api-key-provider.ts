import { CreatePlatformApiKeyRequest, type PlatformApiKey, type UpdatePlatformApiKeyRequest } from "@keyservice/sdk";
import type { Assert, SameNames } from "../outputs";
import type { PlatformApiKeyInputs, PlatformApiKeyOutputs } from "../platform-api-key";
import { API_KEY_INPUTS, apiKeyProvider, keyOutputs } from "./api-key-provider";
import { bodyOf, type BodyTable, pick } from "./props";

const INPUTS = [...API_KEY_INPUTS, "permission"] as const;
type InputsListed = Assert<SameNames<(typeof INPUTS)[number], keyof PlatformApiKeyInputs>>;

const CREATE_FIELDS = {
  name: "name",
  description: "description",
  isActive: "active",
  expiresAt: "expiresAt",
  permission: "permission",
} as const satisfies BodyTable<CreatePlatformApiKeyRequest, PlatformApiKeyInputs>;

export const platformApiKeyProvider = apiKeyProvider<PlatformApiKeyInputs, PlatformApiKeyOutputs, PlatformApiKey, CreatePlatformApiKeyRequest, UpdatePlatformApiKeyRequest>({
  kind: "platform",
  label: "platform API key",
  api: (c) => c.platformApiKeys,
  createRequest: CreatePlatformApiKeyRequest,
  createFields: CREATE_FIELDS,
  defaults: { permission: "read" },
  // Byte for byte what earlier versions sent: the service fingerprints the body of an Idempotency-Key, so a retry across an upgrade replays.
  createBody: (news) => ({ ...bodyOf(CREATE_FIELDS, news), expiresAt: news.expiresAt ?? null }),
  patch: (olds, news) => (news.permission !== olds.permission ? { permission: news.permission } : {}),
  outputs: (base, key, secret) => ({ ...base, ...keyOutputs(key, base, secret), permission: key.permission }),
  inputs: (outs) => pick(outs, INPUTS),
});
