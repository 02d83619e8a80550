import { ApiError, type Deployment, type DeploymentKey } from "@keyservice/sdk";
import type { Store } from "../db/connect";
import type { DeploymentKeyRow } from "../db/tables/deployment-keys.table";
import type { DeploymentRow } from "../db/tables/deployments.table";
import { iso } from "../time";

export function toDeployment(row: DeploymentRow): Deployment {
  return { id: row.id, name: row.name, isActive: row.isActive === 1, createdAt: iso(Number(row.createdAt)), updatedAt: iso(Number(row.updatedAt)) };
}

export function toDeploymentKey(row: DeploymentKeyRow): DeploymentKey {
  return { id: row.id, deploymentId: row.deploymentId, name: row.name, keyHint: row.keyHint, createdAt: iso(Number(row.createdAt)) };
}

export async function findDeployment(db: Store, orgId: string, id: string): Promise<DeploymentRow> {
  const row = await db.selectFrom("deployments").selectAll().where("orgId", "=", orgId).where("id", "=", id).executeTakeFirst();
  if (!row) throw new ApiError("not_found", `There is no deployment with id "${id}" in this org.`);
  return row;
}

export function deploymentNameConflict(name: string | undefined): ApiError {
  return new ApiError("conflict", `A deployment named "${name}" already exists in this org.`);
}
