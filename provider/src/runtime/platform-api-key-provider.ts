import type { PlatformApiKey } from "@keyservice/sdk";
import { apiKeyProvider } from "./api-key-provider";
import { isUnknown } from "./unknown";

const PERMISSIONS = ["read", "read_write", "full_access"];

export const platformApiKeyProvider = apiKeyProvider({
  kind: "platform",
  label: "platform API key",
  api: (c) => c.platformApiKeys as never,
  defaults: () => ({ permission: "read" }),
  validate(f, news) {
    if (isUnknown(news.permission)) return;
    if (!PERMISSIONS.includes(news.permission as string)) f.add("permission", news.permission, 'must be "read", "read_write" or "full_access".');
  },
  createBody: (news) => ({ permission: news.permission }),
  patch: (olds, news) => (news.permission !== olds.permission ? { permission: news.permission } : {}),
  inputFields: ["permission"],
  outputs: (key) => ({ permission: (key as PlatformApiKey).permission }),
});
