import type { Insertable, Selectable } from "kysely";

export interface AuditEventsTable {
  id: string;
  orgId: string;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  outcome: "success" | "failure";
}
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEventRow = Insertable<AuditEventsTable>;
