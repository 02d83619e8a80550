import type { ApiKeyDeploymentsTable, ApiKeysTable } from "./tables/api-keys.table";
import type { AuditEventsTable } from "./tables/audit-events.table";
import type { RateLimitWindowsTable } from "./tables/rate-limit-windows.table";
import type { CredentialsTable } from "./tables/credentials.table";
import type { DeploymentKeysTable } from "./tables/deployment-keys.table";
import type { DeploymentsTable } from "./tables/deployments.table";
import type { IdempotencyRecordsTable } from "./tables/idempotency-records.table";
import type { ImpersonationsTable } from "./tables/impersonations.table";
import type { LlmKeysTable } from "./tables/llm-keys.table";
import type { OrgsTable } from "./tables/orgs.table";
import type { PlatformAdminsTable } from "./tables/platform-admins.table";
import type { UsersTable } from "./tables/users.table";

/** The whole schema as Kysely sees it (camelCase here, snake_case in the database). */
export interface Database {
  orgs: OrgsTable;
  users: UsersTable;
  deployments: DeploymentsTable;
  deploymentKeys: DeploymentKeysTable;
  apiKeys: ApiKeysTable;
  apiKeyDeployments: ApiKeyDeploymentsTable;
  credentials: CredentialsTable;
  auditEvents: AuditEventsTable;
  idempotencyRecords: IdempotencyRecordsTable;
  llmKeys: LlmKeysTable;
  rateLimitWindows: RateLimitWindowsTable;
  platformAdmins: PlatformAdminsTable;
  impersonations: ImpersonationsTable;
}
