import type { Migration } from "kysely";
import * as orgsAndUsers from "./20261123090000_orgs_and_users";
import * as deployments from "./20261123090100_deployments";
import * as apiKeys from "./20261123090200_api_keys";
import * as credentials from "./20261123090300_credentials";
import * as auditEvents from "./20261123090400_audit_events";
import * as idempotencyRecords from "./20261123090500_idempotency_records";
import * as llmKeys from "./20261123090600_llm_keys";
import * as llmKeysRotatedAt from "./20261123090700_llm_keys_rotated_at";
import * as idempotencyRecordsByOwner from "./20261124100000_idempotency_records_by_owner";
import * as rateLimitWindows from "./20261124100100_rate_limit_windows";
import * as auditEventCounts from "./20261124100200_audit_event_counts";
import * as lastUsedAt from "./20261124100300_last_used_at";
import * as orgLifecycle from "./20261125090000_org_lifecycle";
import * as platformAdmins from "./20261125090100_platform_admins";
import * as impersonations from "./20261125090200_impersonations";
import * as auditEventDetail from "./20261125090300_audit_event_detail";
import * as idempotencyRecordTargets from "./20261203090000_idempotency_record_targets";

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  "20261123090000_orgs_and_users": orgsAndUsers,
  "20261123090100_deployments": deployments,
  "20261123090200_api_keys": apiKeys,
  "20261123090300_credentials": credentials,
  "20261123090400_audit_events": auditEvents,
  "20261123090500_idempotency_records": idempotencyRecords,
  "20261123090600_llm_keys": llmKeys,
  "20261123090700_llm_keys_rotated_at": llmKeysRotatedAt,
  "20261124100000_idempotency_records_by_owner": idempotencyRecordsByOwner,
  "20261124100100_rate_limit_windows": rateLimitWindows,
  "20261124100200_audit_event_counts": auditEventCounts,
  "20261124100300_last_used_at": lastUsedAt,
  "20261125090000_org_lifecycle": orgLifecycle,
  "20261125090100_platform_admins": platformAdmins,
  "20261125090200_impersonations": impersonations,
  "20261125090300_audit_event_detail": auditEventDetail,
  "20261203090000_idempotency_record_targets": idempotencyRecordTargets,
};
