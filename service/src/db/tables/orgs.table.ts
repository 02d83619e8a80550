import type { Selectable, Updateable } from "kysely";

export interface OrgsTable {
  id: string;
  slug: string;
  /** A display name; null shows the slug. */
  name: string | null;
  /** 0 or 1: every credential of an inactive org is refused, until it is reactivated. */
  isActive: number;
  createdAt: number;
  updatedAt: number | null;
}
export type Org = Selectable<OrgsTable>;
export type OrgUpdate = Updateable<OrgsTable>;
