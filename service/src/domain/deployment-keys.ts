import { ApiError, type CreateDeploymentKeyRequest, type DeploymentKey, type DeploymentKeyWithSecret } from "@keyservice/sdk";
import type { z } from "zod";
import { tag } from "../cache/entries";
import { newId } from "../crypto/ids";
import { digestToken, newToken, tokenHint } from "../crypto/tokens";
import type { DeploymentKeyRow } from "../db/tables/deployment-keys.table";
import type { Db, Tx } from "../db/writer";
import { iso } from "../time";
import { writeAudit } from "./audit";
import type { Caller } from "./caller";
import { findDeployment } from "./deployments";
import { paginate } from "./pagination";

export function toDeploymentKey(row: DeploymentKeyRow): DeploymentKey {
  return {
    id: row.id,
    deploymentId: row.deploymentId,
    name: row.name,
    keyHint: row.keyHint,
    createdAt: iso(Number(row.createdAt)),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

export async function listDeploymentKeys(db: Db, orgId: string, deploymentId: string, limit: number, cursor?: string) {
  await findDeployment(db, orgId, deploymentId);
  const q = db.selectFrom("deploymentKeys").selectAll().where("deploymentId", "=", deploymentId);
  const page = await paginate(q, { limit, cursor });
  return { items: page.items.map(toDeploymentKey), nextCursor: page.nextCursor };
}

export async function createDeploymentKey(
  tx: Tx,
  orgId: string,
  caller: Caller,
  deploymentId: string,
  input: z.output<typeof CreateDeploymentKeyRequest>,
): Promise<DeploymentKeyWithSecret> {
  await findDeployment(tx.db, orgId, deploymentId);
  const token = newToken("deployment");
  const now = Date.now();
  const row: DeploymentKeyRow = { id: newId(now), orgId, deploymentId, name: input.name ?? null, keyHint: tokenHint(token), createdAt: now, lastUsedAt: null };
  await tx.db.insertInto("deploymentKeys").values(row).execute();
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId, kind: "deployment", ownerId: row.id, expiresAt: null, createdAt: now }).execute();
  await writeAudit(tx.db, orgId, caller, { action: "deployment_key.create", target: row.id });
  return { ...toDeploymentKey(row), key: token };
}

export async function deleteDeploymentKey(tx: Tx, orgId: string, caller: Caller, deploymentId: string, keyId: string): Promise<void> {
  await findDeployment(tx.db, orgId, deploymentId);
  const key = await tx.db.selectFrom("deploymentKeys").select("id").where("id", "=", keyId).where("deploymentId", "=", deploymentId).executeTakeFirst();
  if (!key) throw new ApiError("not_found", `There is no key with id "${keyId}" on this deployment.`);
  await tx.db.deleteFrom("credentials").where("ownerId", "=", key.id).execute();
  await tx.db.deleteFrom("deploymentKeys").where("id", "=", key.id).execute();
  tx.invalidate(tag.owner(key.id));
  await writeAudit(tx.db, orgId, caller, { action: "deployment_key.delete", target: key.id });
}
