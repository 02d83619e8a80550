import type { Permission, Role } from "@keyservice/sdk";

/** Who is calling. */
export type Caller =
  | { kind: "user"; id: string; orgId: string; role: Role }
  | { kind: "platform"; id: string; orgId: string; permission: Permission }
  /** A platform admin acting as an admin of one org: `id` is the impersonation, `adminId` the person. */
  | { kind: "impersonation"; id: string; orgId: string; adminId: string }
  /** A platform admin on the /api/v1/admin routes (belongs to no org). */
  | { kind: "platform_admin"; id: string };

/** A caller that acts in an org. */
export type OrgCaller = Exclude<Caller, { kind: "platform_admin" }>;

/** Whether a caller has an org admin's powers in its org (an impersonating platform admin does, with exceptions). */
export function actsAsAdmin(caller: Caller): boolean {
  return (caller.kind === "user" && caller.role === "admin") || caller.kind === "impersonation";
}

/** How an audit event names who acted: a caller (an impersonation names both the person and the impersonation), or a fixed actor such as `cli:bootstrap`. */
export function actorOf(caller: Caller | string): string {
  if (typeof caller === "string") return caller;
  switch (caller.kind) {
    case "user":
      return `user:${caller.id}`;
    case "platform":
      return `platform_api_key:${caller.id}`;
    case "impersonation":
      return `platform_admin:${caller.adminId} as org admin (impersonation:${caller.id})`;
    case "platform_admin":
      return `platform_admin:${caller.id}`;
  }
}
