import { prepared, preparedAll } from "./prepared";

// The lookups of the auth path on a cache miss, compiled once.

export const credentialByDigest = prepared((db, digest: string) => db.selectFrom("credentials").selectAll().where("digest", "=", digest));

export const userById = prepared((db, id: string) => db.selectFrom("users").select(["id", "orgId", "role"]).where("id", "=", id));

export const apiKeyById = prepared((db, id: string) =>
  db.selectFrom("apiKeys").select(["id", "orgId", "kind", "isActive", "expiresAt", "permission", "allowAllDeployments"]).where("id", "=", id),
);

export const deploymentKeyById = prepared((db, id: string) =>
  db
    .selectFrom("deploymentKeys")
    .innerJoin("deployments", "deployments.id", "deploymentKeys.deploymentId")
    .select(["deploymentKeys.id", "deploymentKeys.deploymentId", "deployments.isActive"])
    .where("deploymentKeys.id", "=", id),
);

export const scopeOfApiKey = preparedAll((db, apiKeyId: string) => db.selectFrom("apiKeyDeployments").select("deploymentId").where("apiKeyId", "=", apiKeyId));

export const orgById = prepared((db, id: string) => db.selectFrom("orgs").select(["id", "slug", "isActive"]).where("id", "=", id));

export const platformAdminById = prepared((db, id: string) => db.selectFrom("platformAdmins").select("id").where("id", "=", id));

export const impersonationById = prepared((db, id: string) => db.selectFrom("impersonations").select(["id", "adminId", "orgId"]).where("id", "=", id));

export const orgBySlug = prepared((db, slug: string) => db.selectFrom("orgs").select("id").where("slug", "=", slug));

export const activeDeploymentByName = prepared((db, orgId: string, name: string) =>
  db.selectFrom("deployments").select(["id", "orgId", "name", "isActive"]).where("orgId", "=", orgId).where("name", "=", name),
);
