import { prepared } from "./prepared";

// The lookups every authenticated request and every execute makes, compiled once.

export const credentialByDigest = prepared((db, digest: string) => db.selectFrom("credentials").selectAll().where("digest", "=", digest));

export const userById = prepared((db, id: string) => db.selectFrom("users").selectAll().where("id", "=", id));

export const apiKeyById = prepared((db, id: string) => db.selectFrom("apiKeys").selectAll().where("id", "=", id));

export const orgById = prepared((db, id: string) => db.selectFrom("orgs").selectAll().where("id", "=", id));

export const activeDeploymentByName = prepared((db, orgSlug: string, name: string) =>
  db
    .selectFrom("deployments")
    .innerJoin("orgs", "orgs.id", "deployments.orgId")
    .select(["deployments.id", "deployments.orgId", "deployments.name", "deployments.isActive"])
    .where("orgs.slug", "=", orgSlug)
    .where("deployments.name", "=", name),
);

export const deploymentKeyOn = prepared((db, keyId: string, deploymentId: string) =>
  db.selectFrom("deploymentKeys").select("id").where("id", "=", keyId).where("deploymentId", "=", deploymentId),
);

export const apiKeyListsDeployment = prepared((db, apiKeyId: string, deploymentId: string) =>
  db.selectFrom("apiKeyDeployments").select("apiKeyId").where("apiKeyId", "=", apiKeyId).where("deploymentId", "=", deploymentId),
);
