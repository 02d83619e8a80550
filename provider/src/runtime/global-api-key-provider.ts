import { CreateGlobalApiKeyRequest, type GlobalApiKey, type UpdateGlobalApiKeyRequest } from "@keyservice/sdk";
import type { GlobalApiKeyInputs, GlobalApiKeyOutputs } from "../global-api-key";
import type { Assert, SameNames } from "../outputs";
import { API_KEY_CREATE_FIELDS, API_KEY_INPUTS, apiKeyProvider, keyOutputs } from "./api-key-provider";
import { type BodyTable, pick } from "./props";
import { isUnknown } from "./unknown";

const INPUTS = [...API_KEY_INPUTS, "allowAllDeployments", "deploymentIds"] as const;
type InputsListed = Assert<SameNames<(typeof INPUTS)[number], keyof GlobalApiKeyInputs>>;

const CREATE_FIELDS = { ...API_KEY_CREATE_FIELDS, allowAllDeployments: "allowAllDeployments", deploymentIds: "deploymentIds" } as const satisfies BodyTable<CreateGlobalApiKeyRequest, GlobalApiKeyInputs>;

function sortedIds(ids: string[]): string[] {
  return Array.isArray(ids) ? [...new Set(ids)].sort() : [];
}

export const globalApiKeyProvider = apiKeyProvider<GlobalApiKeyInputs, GlobalApiKeyOutputs, GlobalApiKey, CreateGlobalApiKeyRequest, UpdateGlobalApiKeyRequest>({
  kind: "global",
  api: (c) => c.globalApiKeys,
  createRequest: CreateGlobalApiKeyRequest,
  createFields: CREATE_FIELDS,
  defaults: { allowAllDeployments: false, deploymentIds: [] },
  createBodyFields: (news) => ({ deploymentIds: news.allowAllDeployments ? undefined : sortedIds(news.deploymentIds) }),
  patch(olds, news) {
    const patch: UpdateGlobalApiKeyRequest = {};
    const ids = sortedIds(news.deploymentIds);
    const scopeChanged =
      news.allowAllDeployments !== olds.allowAllDeployments || isUnknown(news.deploymentIds) || ids.join(",") !== sortedIds(olds.deploymentIds).join(",");
    if (scopeChanged) {
      patch.allowAllDeployments = news.allowAllDeployments === true;
      patch.deploymentIds = news.allowAllDeployments === true ? [] : ids;
    }
    return patch;
  },
  outputs: (base, key, secret) => ({ ...base, ...keyOutputs(key, base, secret), allowAllDeployments: key.allowAllDeployments, deploymentIds: key.deploymentIds }),
  inputs: (outs) => pick(outs, INPUTS),
});
