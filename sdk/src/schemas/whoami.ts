import { z } from "zod";
import { Permission } from "./api-keys";
import { Id, OrgSlug } from "./common";
import { Role } from "./members";

/** Who a token is, in the org of the URL: a member (with a role), a platform API key (with a tier), or an impersonating platform admin. */
export const Whoami = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), id: Id, role: Role, org: OrgSlug }),
  z.object({ kind: z.literal("platform"), id: Id, permission: Permission, org: OrgSlug }),
  z.object({ kind: z.literal("impersonation"), id: Id, adminId: Id, org: OrgSlug }),
]);
export type Whoami = z.infer<typeof Whoami>;
