import type { Db } from "../db/writer";
import type { CredentialKind } from "../db/tables/credentials.table";

// An impersonation's use is audited request by request; its token has no lastUsedAt of its own.
const TABLE = { user: "users", platform: "apiKeys", global: "apiKeys", deployment: "deploymentKeys", platform_admin: "platformAdmins", impersonation: undefined } as const;

/**
 * Moves `lastUsedAt` forward for each owner, never back (several instances flush out of order).
 * One statement per owner, all in one transaction.
 */
export async function recordUsage(db: Db, uses: ReadonlyMap<string, { kind: CredentialKind; at: number }>): Promise<void> {
  if (uses.size === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const [id, { kind, at }] of uses) {
      const table = TABLE[kind];
      if (!table) continue;
      await trx
        .updateTable(table)
        .set({ lastUsedAt: at })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("lastUsedAt", "is", null), eb("lastUsedAt", "<", at)]))
        .execute();
    }
  });
}
