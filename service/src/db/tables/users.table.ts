import type { Selectable } from "kysely";

/** Org members: people (or their tools) holding a `ks_usr_` token. */
export interface UsersTable {
  id: string;
  orgId: string;
  name: string;
  role: "admin" | "member";
  createdAt: number;
  lastUsedAt: number | null;
}
export type User = Selectable<UsersTable>;
