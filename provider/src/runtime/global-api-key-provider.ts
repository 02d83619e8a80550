import type { GlobalApiKey } from "@keyservice/sdk";
import { apiKeyProvider } from "./api-key-provider";
import { isUnknown } from "./unknown";

function sortedIds(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.map(String))].sort() : [];
}

export const globalApiKeyProvider = apiKeyProvider({
  kind: "global",
  label: "global API key",
  api: (c) => c.globalApiKeys as never,
  defaults: (news) => ({ allowAllDeployments: false, deploymentIds: news.deploymentIds ?? [] }),
  validate(f, news) {
    f.boolean(news, "allowAllDeployments");
    const ids = news.deploymentIds;
    if (isUnknown(ids) || isUnknown(news.allowAllDeployments)) return;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) return f.add("deploymentIds", ids, "must be a list of deployment ids.");
    if (news.allowAllDeployments === true && ids.length > 0) f.add("deploymentIds", ids, "must be empty when allowAllDeployments is true.");
    if (news.allowAllDeployments !== true && ids.length === 0) {
      f.list.push({ property: "deploymentIds", reason: "deploymentIds [] must list at least one deployment, or set allowAllDeployments: true." });
    }
  },
  createBody: (news) => (news.allowAllDeployments ? { allowAllDeployments: true } : { allowAllDeployments: false, deploymentIds: sortedIds(news.deploymentIds) }),
  patch(olds, news) {
    const patch: Record<string, unknown> = {};
    const ids = sortedIds(news.deploymentIds);
    const scopeChanged =
      news.allowAllDeployments !== olds.allowAllDeployments || isUnknown(news.deploymentIds) || ids.join(",") !== sortedIds(olds.deploymentIds).join(",");
    if (scopeChanged) {
      patch.allowAllDeployments = news.allowAllDeployments === true;
      patch.deploymentIds = news.allowAllDeployments === true ? [] : ids;
    }
    return patch;
  },
  inputFields: ["allowAllDeployments", "deploymentIds"],
  outputs: (key) => ({ allowAllDeployments: (key as GlobalApiKey).allowAllDeployments, deploymentIds: (key as GlobalApiKey).deploymentIds }),
});
