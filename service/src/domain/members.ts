import { ApiError, type CreateMemberRequest, type MemberWithToken } from "@keyservice/sdk";
import type { z } from "zod";
import { newId } from "../crypto/ids";
import { digestToken, newToken } from "../crypto/tokens";
import { isUniqueViolation } from "../db/errors";
import type { Tx } from "../db/writer";
import { iso } from "../time";
import { writeAudit } from "./audit";
import type { Caller } from "./caller";

/** A new member of the org and its token, shown once. */
export async function createMember(tx: Tx, orgId: string, actor: Caller | string, input: z.output<typeof CreateMemberRequest>): Promise<MemberWithToken> {
  const token = newToken("user");
  const now = Date.now();
  const id = newId(now);
  try {
    await tx.db.insertInto("users").values({ id, orgId, name: input.name, role: input.role, createdAt: now, lastUsedAt: null }).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `A member named "${input.name}" already exists in this org.`);
    throw err;
  }
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId, kind: "user", ownerId: id, expiresAt: null, createdAt: now }).execute();
  await writeAudit(tx.db, orgId, actor, { action: "member.create", target: id });
  return { id, name: input.name, role: input.role, createdAt: iso(now), token };
}
