import { type CredentialEntry, type DeploymentEntry, type Scope, scopeOf } from "../cache/entries";
import { activeDeploymentByName, impersonationById, orgBySlug, platformAdminById, apiKeyById, credentialByDigest, deploymentKeyById, orgById, scopeOfApiKey, userById } from "../db/hot-queries";
import { NO_ORG } from "../db/tables/credentials.table";
import type { Db } from "../db/writer";

/** The scope of every allowAllDeployments key: one shared empty list, not one per cached key. */
const NO_DEPLOYMENTS: Scope = Object.freeze([]);

/**
 * Reads one credential and what it depends on (owner, org, scope) by token digest, as the auth
 * cache keeps it; undefined when the digest matches nothing or its owner is gone.
 */
export async function loadCredential(db: Db, digest: string): Promise<CredentialEntry | undefined> {
  const cred = await credentialByDigest(db, digest);
  if (!cred) return undefined;
  const credentialExpiresAt = cred.expiresAt === null ? null : Number(cred.expiresAt);
  if (cred.kind === "platform_admin") {
    const admin = await platformAdminById(db, cred.ownerId);
    return admin && { kind: "platform_admin", ownerId: admin.id, orgId: NO_ORG, orgSlug: "", orgActive: true, credentialExpiresAt };
  }
  const org = await orgById(db, cred.orgId);
  if (!org) return undefined;
  // Each entry is written as one object literal per kind: 100,000 of them are cached, and an
  // object built by spreading others gets a shape of its own (three times the memory).
  const { ownerId } = cred;
  const orgId = org.id;
  const orgSlug = org.slug;
  const orgActive = org.isActive === 1;
  switch (cred.kind) {
    case "impersonation": {
      const impersonation = await impersonationById(db, ownerId);
      return impersonation && { kind: "impersonation", ownerId, orgId, orgSlug, orgActive, credentialExpiresAt, adminId: impersonation.adminId };
    }
    case "user": {
      const user = await userById(db, ownerId);
      return user && { kind: "user", ownerId, orgId, orgSlug, orgActive, credentialExpiresAt, role: user.role };
    }
    case "deployment": {
      const key = await deploymentKeyById(db, ownerId);
      return key && { kind: "deployment", ownerId, orgId, orgSlug, orgActive, credentialExpiresAt, deploymentId: key.deploymentId, deploymentActive: key.isActive === 1 };
    }
    case "platform":
    case "global": {
      const key = await apiKeyById(db, ownerId);
      if (!key || key.kind !== cred.kind) return undefined;
      const isActive = key.isActive === 1;
      const keyExpiresAt = key.expiresAt === null ? null : Number(key.expiresAt);
      if (key.kind === "platform") return { kind: "platform", ownerId, orgId, orgSlug, orgActive, credentialExpiresAt, isActive, keyExpiresAt, permission: key.permission ?? "read" };
      const allowAllDeployments = key.allowAllDeployments === 1;
      const deploymentIds = allowAllDeployments ? NO_DEPLOYMENTS : scopeOf((await scopeOfApiKey(db, key.id)).map((r) => r.deploymentId));
      return { kind: "global", ownerId, orgId, orgSlug, orgActive, credentialExpiresAt, isActive, keyExpiresAt, allowAllDeployments, deploymentIds };
    }
  }
}

/** A deployment of an org by name, as execute needs it. */
export async function loadDeployment(db: Db, orgId: string, name: string): Promise<DeploymentEntry | undefined> {
  const row = await activeDeploymentByName(db, orgId, name);
  return row && { id: row.id, orgId: row.orgId, name: row.name, isActive: row.isActive === 1 };
}

/** The id of the org with this slug. */
export async function loadOrgId(db: Db, slug: string): Promise<string | undefined> {
  return (await orgBySlug(db, slug))?.id;
}
