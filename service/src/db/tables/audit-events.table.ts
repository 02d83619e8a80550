export interface AuditEventsTable {
  id: string;
  orgId: string;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  outcome: "success" | "failure";
  /** Free text beyond ids, such as an impersonation's reason; never a secret. */
  detail: string | null;
  /** How many occurrences this row stands for (null: 1). */
  count: number | null;
  /** Set on rows that aggregate repeated events (failed authentications per org, client and window). */
  aggregateKey: string | null;
}
