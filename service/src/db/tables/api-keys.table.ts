import type { Selectable, Updateable } from "kysely";

/** Global and platform API keys share one table: the same lifecycle, a `kind` apart. */
export interface ApiKeysTable {
  id: string;
  orgId: string;
  kind: "global" | "platform";
  name: string;
  description: string | null;
  isActive: number;
  /** Global keys only: 0 or 1. */
  allowAllDeployments: number;
  /** Platform keys only. */
  permission: "read" | "read_write" | "full_access" | null;
  expiresAt: number | null;
  keyHint: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  rotatedAt: number | null;
  previousKeyExpiresAt: number | null;
  /** When the key last opened something (batched, so up to a few seconds late); null: never. */
  lastUsedAt: number | null;
}
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ApiKeyUpdate = Updateable<ApiKeysTable>;

export interface ApiKeyDeploymentsTable {
  apiKeyId: string;
  deploymentId: string;
}
