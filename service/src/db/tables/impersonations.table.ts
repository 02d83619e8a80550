/** A platform admin acting as an admin of one org, for at most an hour, for a stated reason. */
export interface ImpersonationsTable {
  id: string;
  adminId: string;
  orgId: string;
  reason: string;
  createdAt: number;
  expiresAt: number;
  /** Set when it was stopped before it expired. */
  endedAt: number | null;
}
