import type { Insertable, Selectable } from "kysely";

export interface OrgsTable {
  id: string;
  slug: string;
  createdAt: number;
}
export type Org = Selectable<OrgsTable>;
export type NewOrg = Insertable<OrgsTable>;
