import { ApiError, type CreatedOrg, type CreateOrgRequest, type Org, type UpdateOrgRequest } from "@keyservice/sdk";
import type { z } from "zod";
import { tag } from "../cache/entries";
import { newId } from "../crypto/ids";
import type { Org as OrgRow, OrgUpdate } from "../db/tables/orgs.table";
import type { Db, Tx } from "../db/writer";
import { iso } from "../time";
import { writeAudit } from "./audit";
import type { Caller } from "./caller";
import { createMember } from "./members";
import { paginate } from "./pagination";

export function toOrg(row: OrgRow): Org {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name ?? row.slug,
    isActive: row.isActive === 1,
    createdAt: iso(Number(row.createdAt)),
    updatedAt: iso(Number(row.updatedAt ?? row.createdAt)),
  };
}

export async function findOrg(db: Db, slug: string): Promise<OrgRow> {
  const row = await db.selectFrom("orgs").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new ApiError("not_found", `There is no org "${slug}".`);
  return row;
}

export async function listOrgs(db: Db, limit: number, cursor?: string) {
  const q = db.selectFrom("orgs").selectAll();
  const page = await paginate(q, { limit, cursor });
  return { items: page.items.map(toOrg), nextCursor: page.nextCursor };
}

/**
 * Inserts an org; undefined when one with that slug exists. ON CONFLICT rather than a caught error:
 * on PostgreSQL a failed statement aborts the whole transaction.
 */
export async function insertOrg(tx: Tx, slug: string, name: string | null, now = Date.now()): Promise<string | undefined> {
  const inserted = await tx.db
    .insertInto("orgs")
    .values({ id: newId(now), slug, name, isActive: 1, createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.column("slug").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted?.id;
}

/** A new org and its first admin, whose token is returned once. */
export async function createOrg(tx: Tx, actor: Caller, input: z.output<typeof CreateOrgRequest>): Promise<CreatedOrg> {
  const id = await insertOrg(tx, input.slug, input.name ?? null);
  if (!id) throw new ApiError("conflict", `An org with the slug "${input.slug}" already exists.`);
  await writeAudit(tx.db, id, actor, { action: "org.create", target: `org:${id}` });
  const admin = await createMember(tx, id, actor, { name: "admin", role: "admin" });
  return { org: toOrg(await findOrg(tx.db, input.slug)), adminId: admin.id, adminToken: admin.token };
}

/** Renames an org, or (de)activates it: every credential of the org follows at once, on every instance. */
export async function updateOrg(tx: Tx, actor: Caller, slug: string, patch: z.output<typeof UpdateOrgRequest>): Promise<Org> {
  const org = await findOrg(tx.db, slug);
  const set: OrgUpdate = { updatedAt: Date.now() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.isActive !== undefined) set.isActive = patch.isActive ? 1 : 0;
  await tx.db.updateTable("orgs").set(set).where("id", "=", org.id).execute();
  tx.invalidate(tag.org(org.id));
  const action = patch.isActive === false ? "org.deactivate" : patch.isActive === true ? "org.activate" : "org.update";
  await writeAudit(tx.db, org.id, actor, { action, target: `org:${org.id}` });
  return toOrg(await findOrg(tx.db, slug));
}

async function keysOf(db: Db, orgId: string): Promise<number> {
  const count = async (table: "apiKeys" | "deploymentKeys" | "llmKeys") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("orgId", "=", orgId).executeTakeFirstOrThrow()).n);
  return (await count("apiKeys")) + (await count("deploymentKeys")) + (await count("llmKeys"));
}

/**
 * Deletes an org and revokes everything it issued (members' tokens, keys, impersonations). Refused
 * while the org still has keys, unless forced. Its audit trail stays, ending with the deletion.
 */
export async function deleteOrg(tx: Tx, actor: Caller, slug: string, force: boolean): Promise<void> {
  const org = await findOrg(tx.db, slug);
  const keys = await keysOf(tx.db, org.id);
  if (keys > 0 && !force) {
    throw new ApiError("conflict", `The org "${slug}" still has ${keys} key(s): delete them first, or pass force=true to delete the org with everything it issued.`);
  }
  await tx.db.deleteFrom("credentials").where("orgId", "=", org.id).execute();
  await tx.db.deleteFrom("idempotencyRecords").where("orgId", "=", org.id).execute();
  await tx.db.deleteFrom("impersonations").where("orgId", "=", org.id).execute();
  // Members, deployments (and their keys), API keys and LLM keys go with it (foreign keys cascade).
  await tx.db.deleteFrom("orgs").where("id", "=", org.id).execute();
  tx.invalidate(tag.org(org.id));
  await writeAudit(tx.db, org.id, actor, { action: "org.delete", target: `org:${org.id}`, detail: force ? `forced, ${keys} key(s) revoked` : null });
}
