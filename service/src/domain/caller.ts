import type { Permission, Role } from "@keyservice/sdk";

/** Who is calling the management API. */
export type Caller =
  | { kind: "user"; id: string; orgId: string; role: Role }
  | { kind: "platform"; id: string; orgId: string; permission: Permission };

/** How an audit event names who acted: a caller, or a fixed actor such as `cli:bootstrap`. */
export function actorOf(caller: Caller | string): string {
  if (typeof caller === "string") return caller;
  return caller.kind === "user" ? `user:${caller.id}` : `platform_api_key:${caller.id}`;
}
