import { z } from "zod";
import { Id, Instant, OrgSlug, PageQuery } from "./common";
import { Role } from "./members";

const OrgName = z.string().min(1, "must not be empty").max(255, "must be at most 255 characters");

/** An org as a platform admin sees it. */
export const Org = z.object({ id: Id, slug: z.string(), name: z.string(), isActive: z.boolean(), createdAt: Instant, updatedAt: Instant });
export type Org = z.infer<typeof Org>;

export const CreateOrgRequest = z.strictObject({ slug: OrgSlug, name: OrgName.optional() });
export type CreateOrgRequest = z.input<typeof CreateOrgRequest>;

/** A new org and its first admin's token, shown once. */
export const CreatedOrg = z.object({ org: Org, adminId: Id, adminToken: z.string() });
export type CreatedOrg = z.infer<typeof CreatedOrg>;

export const UpdateOrgRequest = z.strictObject({ name: OrgName.optional(), isActive: z.boolean().optional() });
export type UpdateOrgRequest = z.input<typeof UpdateOrgRequest>;

export const DeleteOrgQuery = z.strictObject({
  force: z.enum(["true", "false"], { error: 'must be "true" or "false"' }).optional().transform((v) => v === "true"),
});
export type DeleteOrgQuery = { force?: "true" | "false" };

export const UsersQuery = PageQuery.extend({ org: OrgSlug.optional(), role: Role.optional() });
/** Members across orgs, filtered by org slug and role. */
export type UsersQuery = { limit?: number; cursor?: string; org?: string; role?: Role };

/** A member of some org, as the platform admin's list shows it: never a token. */
export const PlatformUser = z.object({ id: Id, org: z.string(), name: z.string(), role: Role, createdAt: Instant, lastUsedAt: Instant.nullable() });
export type PlatformUser = z.infer<typeof PlatformUser>;

export const MAX_IMPERSONATION_SECONDS = 3600;

export const ImpersonateRequest = z.strictObject({
  org: OrgSlug,
  reason: z.string().trim().min(1, "must say why (it goes into the org's audit trail)").max(1000, "must be at most 1000 characters"),
  durationSeconds: z.number().int("must be a whole number of seconds").min(60, "must be 60 to 3600 (1 hour)").max(MAX_IMPERSONATION_SECONDS, "must be 60 to 3600 (1 hour)").default(MAX_IMPERSONATION_SECONDS),
});
export type ImpersonateRequest = z.input<typeof ImpersonateRequest>;

/** A short-lived org-admin token for one org; its token is shown once. */
export const Impersonation = z.object({ id: Id, org: z.string(), reason: z.string(), createdAt: Instant, expiresAt: Instant, token: z.string() });
export type Impersonation = z.infer<typeof Impersonation>;

export const StopImpersonationRequest = z.strictObject({ id: Id });
export type StopImpersonationRequest = z.input<typeof StopImpersonationRequest>;
