import { ApiError, type ImpersonateRequest, type Impersonation } from "@keyservice/sdk";
import type { z } from "zod";
import { tag } from "../cache/entries";
import { newId } from "../crypto/ids";
import { digestToken, newToken } from "../crypto/tokens";
import type { Tx } from "../db/writer";
import { iso } from "../time";
import { writeAudit } from "./audit";
import type { Caller } from "./caller";
import { findOrg } from "./orgs";

/**
 * A platform admin starts acting as an admin of one org: a token that works in that org only and
 * until `expiresAt` (an hour at most). The start is in the org's own trail, with the reason.
 */
export async function startImpersonation(tx: Tx, admin: Caller & { kind: "platform_admin" }, input: z.output<typeof ImpersonateRequest>): Promise<Impersonation> {
  const org = await findOrg(tx.db, input.org);
  if (org.isActive !== 1) throw new ApiError("conflict", `The org "${input.org}" is deactivated: reactivate it before acting in it.`);
  const now = Date.now();
  const id = newId(now);
  const expiresAt = now + input.durationSeconds * 1000;
  await tx.db.insertInto("impersonations").values({ id, adminId: admin.id, orgId: org.id, reason: input.reason, createdAt: now, expiresAt, endedAt: null }).execute();
  const token = newToken("impersonation");
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId: org.id, kind: "impersonation", ownerId: id, expiresAt, createdAt: now }).execute();
  await writeAudit(tx.db, org.id, admin, { action: "impersonation.start", target: `impersonation:${id}`, detail: input.reason });
  return { id, org: org.slug, reason: input.reason, createdAt: iso(now), expiresAt: iso(expiresAt), token };
}

/** Revokes an impersonation's token at once, on every instance; the stop is in the org's trail. */
export async function stopImpersonation(tx: Tx, admin: Caller & { kind: "platform_admin" }, id: string): Promise<void> {
  const row = await tx.db.selectFrom("impersonations").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new ApiError("not_found", `There is no impersonation with id "${id}".`);
  await tx.db.deleteFrom("credentials").where("ownerId", "=", id).execute();
  if (row.endedAt === null) await tx.db.updateTable("impersonations").set({ endedAt: Date.now() }).where("id", "=", id).execute();
  tx.invalidate(tag.owner(id));
  await writeAudit(tx.db, row.orgId, admin, { action: "impersonation.stop", target: `impersonation:${id}`, detail: row.reason });
}
