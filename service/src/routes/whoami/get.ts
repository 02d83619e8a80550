import { routes } from "@keyservice/sdk";
import { defineRoute } from "../define";

export default defineRoute(routes.whoami, async ({ caller, org }) =>
  caller.kind === "user"
    ? { kind: "user" as const, id: caller.id, role: caller.role, org: org.slug }
    : { kind: "platform" as const, id: caller.id, permission: caller.permission, org: org.slug },
);
