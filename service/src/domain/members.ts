import { ApiError, type CreateMemberRequest, type Member, type MemberWithToken, type Role, type UpdateMemberRequest } from "@keyservice/sdk";
import type { z } from "zod";
import { tag } from "../cache/entries";
import { newId } from "../crypto/ids";
import { digestToken, newToken } from "../crypto/tokens";
import type { User } from "../db/tables/users.table";
import type { Tx } from "../db/writer";
import { iso } from "../time";
import { writeAudit } from "./audit";
import type { Caller } from "./caller";
import { inOrg } from "./org-rows";
import { unlessTaken } from "./unique";

export function toMember(row: User): Member {
  return { id: row.id, name: row.name, role: row.role, createdAt: iso(Number(row.createdAt)), lastUsedAt: iso(row.lastUsedAt) };
}

const members = inOrg((db, orgId) => db.selectFrom("users").selectAll().where("orgId", "=", orgId), "member", toMember);
export const findMember = members.find;
export const getMember = members.get;
export const listMembers = members.list;

/** A new member of the org and its token, shown once. */
export async function createMember(tx: Tx, orgId: string, actor: Caller | string, input: z.output<typeof CreateMemberRequest>): Promise<MemberWithToken> {
  const token = newToken("user");
  const now = Date.now();
  const row: User = { id: newId(now), orgId, name: input.name, role: input.role, createdAt: now, lastUsedAt: null };
  await unlessTaken(tx.db.insertInto("users").values(row).execute(), members.nameTaken(input.name));
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId, kind: "user", ownerId: row.id, expiresAt: null, createdAt: now }).execute();
  await writeAudit(tx.db, orgId, actor, { action: "member.create", target: row.id });
  return { ...toMember(row), token };
}

/**
 * Serializes changes to an org's admins: the write takes the org row's lock (PostgreSQL) or the
 * database's (SQLite), so two admins removing each other at once cannot leave the org without one.
 */
async function lockAdmins(tx: Tx, orgId: string): Promise<void> {
  await tx.db.updateTable("orgs").set((eb) => ({ slug: eb.ref("slug") })).where("id", "=", orgId).execute();
}

async function ensureAnotherAdmin(tx: Tx, orgId: string, member: User, verb: string): Promise<void> {
  const { n } = await tx.db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("orgId", "=", orgId)
    .where("role", "=", "admin")
    .where("id", "!=", member.id)
    .executeTakeFirstOrThrow();
  if (Number(n) === 0) {
    throw new ApiError("conflict", `"${member.name}" is the last admin of this org and cannot be ${verb}: make another member an admin first.`);
  }
}

export async function updateMember(tx: Tx, orgId: string, caller: Caller, id: string, patch: z.output<typeof UpdateMemberRequest>): Promise<Member> {
  await lockAdmins(tx, orgId);
  const member = await findMember(tx.db, orgId, id);
  if (member.role === "admin" && patch.role === "member") await ensureAnotherAdmin(tx, orgId, member, "demoted");
  const set: { name?: string; role?: Role } = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.role !== undefined) set.role = patch.role;
  if (Object.keys(set).length > 0) await unlessTaken(tx.db.updateTable("users").set(set).where("id", "=", id).execute(), members.nameTaken(patch.name));
  // The role is what its tokens are cached with.
  tx.invalidate(tag.owner(id));
  await writeAudit(tx.db, orgId, caller, { action: "member.update", target: id });
  return getMember(tx.db, orgId, id);
}

/** Removes a member; every token it holds stops working at once, on every instance. */
export async function deleteMember(tx: Tx, orgId: string, caller: Caller, id: string): Promise<void> {
  await lockAdmins(tx, orgId);
  const member = await findMember(tx.db, orgId, id);
  if (member.role === "admin") await ensureAnotherAdmin(tx, orgId, member, "removed");
  await tx.db.deleteFrom("credentials").where("ownerId", "=", id).execute();
  await tx.db.deleteFrom("users").where("id", "=", id).execute();
  tx.invalidate(tag.owner(id));
  await writeAudit(tx.db, orgId, caller, { action: "member.delete", target: id });
}

/** Issues a member a new token, shown once; the old one keeps working for the grace period, then stops. */
export async function rotateMemberToken(tx: Tx, orgId: string, caller: Caller, id: string, gracePeriodSeconds: number): Promise<MemberWithToken> {
  const member = await findMember(tx.db, orgId, id);
  const token = newToken("user");
  const now = Date.now();
  // At most one previous token stays alive: older ones end now.
  await tx.db.deleteFrom("credentials").where("ownerId", "=", id).where("expiresAt", "is not", null).execute();
  if (gracePeriodSeconds > 0) {
    await tx.db.updateTable("credentials").set({ expiresAt: now + gracePeriodSeconds * 1000 }).where("ownerId", "=", id).execute();
  } else {
    await tx.db.deleteFrom("credentials").where("ownerId", "=", id).execute();
  }
  // Always later than the member itself, even in its first millisecond or with the clock stepped back:
  // a member with a credential issued after it was rotated (see domain/recovery.ts).
  const issuedAt = Math.max(now, Number(member.createdAt) + 1);
  await tx.db.insertInto("credentials").values({ digest: digestToken(token), orgId, kind: "user", ownerId: id, expiresAt: null, createdAt: issuedAt }).execute();
  tx.invalidate(tag.owner(id));
  await writeAudit(tx.db, orgId, caller, { action: "member.rotate_token", target: id });
  return { ...toMember(member), token };
}
