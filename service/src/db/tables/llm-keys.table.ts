import type { Selectable, Updateable } from "kysely";

/** A tenant's own provider key, sealed with a master key (AES-256-GCM). */
export interface LlmKeysTable {
  id: string;
  orgId: string;
  provider: string;
  label: string;
  keyHint: string;
  /** `v1.<masterKeyId>.<nonce>.<ciphertext+tag>`, bound to org and row id as associated data. */
  sealedKey: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** When the secret was last replaced; null until then. */
  rotatedAt: number | null;
}
export type LlmKeyRow = Selectable<LlmKeysTable>;
export type LlmKeyUpdate = Updateable<LlmKeysTable>;
