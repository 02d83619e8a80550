import { configure, provider, type ResourceKind } from "@keyservice/pulumi/runtime";
import type { TestService } from "../helpers/service";

/** Points the provider runtime at a live test service, as the engine's `configure` call would. */
export function configureRuntime(svc: TestService, org: string, token: string): void {
  const config: Record<string, string> = { "keyservice:endpoint": svc.url, "keyservice:org": org, "keyservice:token": token };
  configure({ get: (key: string) => config[key] });
}

export function runtime(kind: ResourceKind) {
  return provider(kind);
}
