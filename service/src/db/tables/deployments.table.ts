import type { Selectable, Updateable } from "kysely";

export interface DeploymentsTable {
  id: string;
  orgId: string;
  name: string;
  /** 0 or 1: booleans are integers so that one schema serves SQLite and PostgreSQL. */
  isActive: number;
  createdAt: number;
  updatedAt: number;
}
export type DeploymentRow = Selectable<DeploymentsTable>;
export type DeploymentUpdate = Updateable<DeploymentsTable>;
