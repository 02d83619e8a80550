import { z } from "zod";
import { Description, Id, Instant, Name } from "./common";

export const Permission = z.enum(["read", "read_write", "full_access"]);
export type Permission = z.infer<typeof Permission>;

/** Tiers are ordered: each includes everything below it. */
export const permissionRank: Record<Permission, number> = { read: 0, read_write: 1, full_access: 2 };

export const MAX_GRACE_PERIOD_SECONDS = 604800;

export const RotateKeyRequest = z.strictObject({
  gracePeriodSeconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(0, "must be 0 to 604800 (7 days)")
    .max(MAX_GRACE_PERIOD_SECONDS, "must be 0 to 604800 (7 days)")
    .default(0),
});
export type RotateKeyRequest = z.input<typeof RotateKeyRequest>;

/** Fields every API key has, whatever its kind. */
const apiKeyFields = {
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  isActive: z.boolean(),
  keyHint: z.string(),
  version: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
  rotatedAt: Instant.nullable(),
  expiresAt: Instant.nullable(),
  previousKeyExpiresAt: Instant.nullable(),
  /** When the key last opened something (recorded in batches, so up to a few seconds late); null: never. */
  lastUsedAt: Instant.nullable(),
};

const createFields = {
  name: Name,
  description: Description.optional(),
  isActive: z.boolean().default(true),
  expiresAt: Instant.nullable().optional(),
};

const updateFields = {
  name: Name.optional(),
  description: Description.nullable().optional(),
  isActive: z.boolean().optional(),
  expiresAt: Instant.nullable().optional(),
};

export const GlobalApiKey = z.object({
  ...apiKeyFields,
  allowAllDeployments: z.boolean(),
  deploymentIds: z.array(Id),
});
export type GlobalApiKey = z.infer<typeof GlobalApiKey>;

export const GlobalApiKeyWithSecret = GlobalApiKey.extend({ key: z.string() });
export type GlobalApiKeyWithSecret = z.infer<typeof GlobalApiKeyWithSecret>;

const deploymentIds = z.array(Id).max(1000, "must list at most 1000 deployments");

export const CreateGlobalApiKeyRequest = z
  .strictObject({
    ...createFields,
    allowAllDeployments: z.boolean().default(false),
    deploymentIds: deploymentIds.optional(),
  })
  .superRefine((body, ctx) => {
    const listed = (body.deploymentIds ?? []).length > 0;
    if (body.allowAllDeployments && listed) {
      ctx.addIssue({ code: "custom", path: ["deploymentIds"], message: "must be empty when allowAllDeployments is true" });
    }
    if (!body.allowAllDeployments && !listed) {
      ctx.addIssue({ code: "custom", path: ["deploymentIds"], message: "must list at least one deployment, or set allowAllDeployments to true" });
    }
  });
export type CreateGlobalApiKeyRequest = z.input<typeof CreateGlobalApiKeyRequest>;

/** A partial update: lists are replaced whole; untouched fields are not re-validated. */
export const UpdateGlobalApiKeyRequest = z.strictObject({
  ...updateFields,
  allowAllDeployments: z.boolean().optional(),
  deploymentIds: deploymentIds.optional(),
});
export type UpdateGlobalApiKeyRequest = z.input<typeof UpdateGlobalApiKeyRequest>;

export const PlatformApiKey = z.object({ ...apiKeyFields, permission: Permission });
export type PlatformApiKey = z.infer<typeof PlatformApiKey>;

export const PlatformApiKeyWithSecret = PlatformApiKey.extend({ key: z.string() });
export type PlatformApiKeyWithSecret = z.infer<typeof PlatformApiKeyWithSecret>;

export const CreatePlatformApiKeyRequest = z.strictObject({ ...createFields, permission: Permission.default("read") });
export type CreatePlatformApiKeyRequest = z.input<typeof CreatePlatformApiKeyRequest>;

export const UpdatePlatformApiKeyRequest = z.strictObject({ ...updateFields, permission: Permission.optional() });
export type UpdatePlatformApiKeyRequest = z.input<typeof UpdatePlatformApiKeyRequest>;
