import type { Selectable } from "kysely";

export interface DeploymentKeysTable {
  id: string;
  orgId: string;
  deploymentId: string;
  name: string | null;
  keyHint: string;
  createdAt: number;
  lastUsedAt: number | null;
}
export type DeploymentKeyRow = Selectable<DeploymentKeysTable>;
