/** An operator of the service across orgs, holding a `ks_adm_` token. */
export interface PlatformAdminsTable {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}
