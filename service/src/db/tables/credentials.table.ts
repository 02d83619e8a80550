export type CredentialKind = "user" | "global" | "platform" | "deployment" | "platform_admin" | "impersonation";

/** The org of credentials that belong to no org (platform admins'). */
export const NO_ORG = "";

/**
 * Every secret the service ever issued, by digest only: one indexed lookup authenticates any
 * token. A rotated-out secret keeps its row until `expiresAt` (its grace period).
 */
export interface CredentialsTable {
  digest: string;
  orgId: string;
  kind: CredentialKind;
  ownerId: string;
  expiresAt: number | null;
  createdAt: number;
}
