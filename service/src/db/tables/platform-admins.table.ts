import type { Insertable, Selectable } from "kysely";

/** An operator of the service across orgs, holding a `ks_adm_` token. */
export interface PlatformAdminsTable {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}
export type PlatformAdminRow = Selectable<PlatformAdminsTable>;
export type NewPlatformAdminRow = Insertable<PlatformAdminsTable>;
