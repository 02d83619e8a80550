import { ApiError } from "@keyservice/sdk";
import { newId } from "../crypto/ids";
import { digestToken, newToken } from "../crypto/tokens";
import { isUniqueViolation } from "../db/errors";
import { NO_ORG } from "../db/tables/credentials.table";
import type { Tx } from "../db/writer";

/** A new platform admin and its `ks_adm_` token, returned once. */
export async function createPlatformAdmin(tx: Tx, name: string): Promise<{ id: string; token: string }> {
  const now = Date.now();
  const id = newId(now);
  try {
    await tx.db.insertInto("platformAdmins").values({ id, name, createdAt: now, lastUsedAt: null }).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `A platform admin named "${name}" already exists.`);
    throw err;
  }
  const token = newToken("platform_admin");
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId: NO_ORG, kind: "platform_admin", ownerId: id, expiresAt: null, createdAt: now }).execute();
  return { id, token };
}
