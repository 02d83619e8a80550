import { routes, type Whoami } from "@keyservice/sdk";
import { defineRoute } from "../define";

/** Who the bearer is in this org: what a console needs to offer only what the caller may do. */
export default defineRoute(routes.whoami, async ({ caller, org }): Promise<Whoami> => {
  switch (caller.kind) {
    case "user":
      return { kind: "user", id: caller.id, role: caller.role, org: org.slug };
    case "platform":
      return { kind: "platform", id: caller.id, permission: caller.permission, org: org.slug };
    case "impersonation":
      return { kind: "impersonation", id: caller.id, adminId: caller.adminId, org: org.slug };
  }
});
