import { z } from "zod";
import { Id, Instant, Name } from "./common";

export const CreateDeploymentRequest = z.strictObject({ name: Name, isActive: z.boolean().default(true) });
export type CreateDeploymentRequest = z.input<typeof CreateDeploymentRequest>;

export const UpdateDeploymentRequest = z.strictObject({ name: Name.optional(), isActive: z.boolean().optional() });
export type UpdateDeploymentRequest = z.input<typeof UpdateDeploymentRequest>;

export const Deployment = z.object({ id: Id, name: z.string(), isActive: z.boolean(), createdAt: Instant, updatedAt: Instant });
export type Deployment = z.infer<typeof Deployment>;

export const CreateDeploymentKeyRequest = z.strictObject({ name: Name.optional() });
export type CreateDeploymentKeyRequest = z.input<typeof CreateDeploymentKeyRequest>;

export const DeploymentKey = z.object({
  id: Id,
  deploymentId: Id,
  name: z.string().nullable(),
  keyHint: z.string(),
  createdAt: Instant,
  lastUsedAt: Instant.nullable(),
});
export type DeploymentKey = z.infer<typeof DeploymentKey>;

export const DeploymentKeyWithSecret = DeploymentKey.extend({ key: z.string() });
export type DeploymentKeyWithSecret = z.infer<typeof DeploymentKeyWithSecret>;

/** What a deployment answers to a caller whose key opens it. */
export const ExecuteResult = z.object({
  deployment: z.string(),
  keyKind: z.enum(["deployment", "global"]),
  keyId: Id,
});
export type ExecuteResult = z.infer<typeof ExecuteResult>;
