import type { Db } from "../db/writer";
import type { CredentialKind } from "../db/tables/credentials.table";

const TABLE = { user: "users", platform: "apiKeys", global: "apiKeys", deployment: "deploymentKeys" } as const;

/**
 * Moves `lastUsedAt` forward for each owner, never back (several instances flush out of order).
 * One statement per owner, all in one transaction.
 */
export async function recordUsage(db: Db, uses: ReadonlyMap<string, { kind: CredentialKind; at: number }>): Promise<void> {
  if (uses.size === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const [id, { kind, at }] of uses) {
      await trx
        .updateTable(TABLE[kind])
        .set({ lastUsedAt: at })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("lastUsedAt", "is", null), eb("lastUsedAt", "<", at)]))
        .execute();
    }
  });
}
