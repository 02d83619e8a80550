import type { CreateDeploymentRequest, Deployment, UpdateDeploymentRequest } from "@keyservice/sdk";
import type { z } from "zod";
import { tag } from "../cache/entries";
import { newId } from "../crypto/ids";
import type { DeploymentRow, DeploymentUpdate } from "../db/tables/deployments.table";
import type { Tx } from "../db/writer";
import { iso } from "../time";
import { writeAudit } from "./audit";
import type { Caller } from "./caller";
import { inOrg } from "./org-rows";
import { unlessTaken } from "./unique";

export function toDeployment(row: DeploymentRow): Deployment {
  return { id: row.id, name: row.name, isActive: row.isActive === 1, createdAt: iso(Number(row.createdAt)), updatedAt: iso(Number(row.updatedAt)) };
}

const deployments = inOrg((db, orgId) => db.selectFrom("deployments").selectAll().where("orgId", "=", orgId), "deployment", toDeployment);
export const findDeployment = deployments.find;
export const getDeployment = deployments.get;
export const listDeployments = deployments.list;

export async function createDeployment(tx: Tx, orgId: string, caller: Caller, input: z.output<typeof CreateDeploymentRequest>): Promise<Deployment> {
  const now = Date.now();
  const id = newId(now);
  await unlessTaken(tx.db.insertInto("deployments").values({ id, orgId, name: input.name, isActive: input.isActive ? 1 : 0, createdAt: now, updatedAt: now }).execute(), deployments.nameTaken(input.name));
  await writeAudit(tx.db, orgId, caller, { action: "deployment.create", target: id });
  return getDeployment(tx.db, orgId, id);
}

export async function updateDeployment(tx: Tx, orgId: string, caller: Caller, id: string, patch: z.output<typeof UpdateDeploymentRequest>): Promise<Deployment> {
  await findDeployment(tx.db, orgId, id);
  const set: DeploymentUpdate = { updatedAt: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.isActive !== undefined) set.isActive = patch.isActive ? 1 : 0;
  await unlessTaken(tx.db.updateTable("deployments").set(set).where("id", "=", id).execute(), deployments.nameTaken(patch.name));
  // Execute finds deployments by name and checks that they are active.
  tx.invalidate(tag.deployment(id));
  await writeAudit(tx.db, orgId, caller, { action: "deployment.update", target: id });
  return getDeployment(tx.db, orgId, id);
}

export async function deleteDeployment(tx: Tx, orgId: string, caller: Caller, id: string): Promise<void> {
  await findDeployment(tx.db, orgId, id);
  const keyIds = (await tx.db.selectFrom("deploymentKeys").select("id").where("deploymentId", "=", id).execute()).map((r) => r.id);
  if (keyIds.length > 0) await tx.db.deleteFrom("credentials").where("ownerId", "in", keyIds).execute();
  // Its keys and its place in global keys' lists go with it (foreign keys cascade).
  await tx.db.deleteFrom("deployments").where("id", "=", id).execute();
  // Its own keys' credentials carry the deployment's tag too, and so do the cached GETs of the
  // global keys whose scope named it (domain/api-key-reader.ts).
  tx.invalidate(tag.deployment(id));
  await writeAudit(tx.db, orgId, caller, { action: "deployment.delete", target: id });
}
