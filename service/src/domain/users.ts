import type { PlatformUser, Role } from "@keyservice/sdk";
import type { Db } from "../db/writer";
import { iso } from "../time";
import { paginate } from "./pagination";

/** Members across orgs, for a platform admin: never a token. */
export async function listUsers(db: Db, filter: { org?: string; role?: Role }, limit: number, cursor?: string) {
  let q = db.selectFrom("users").innerJoin("orgs", "orgs.id", "users.orgId").select(["users.id", "orgs.slug", "users.name", "users.role", "users.createdAt", "users.lastUsedAt"]);
  if (filter.org) q = q.where("orgs.slug", "=", filter.org);
  if (filter.role) q = q.where("users.role", "=", filter.role);
  const page = await paginate(q, { column: "users.id", limit, cursor });
  const items: PlatformUser[] = page.items.map((r) => ({
    id: r.id,
    org: r.slug,
    name: r.name,
    role: r.role,
    createdAt: iso(Number(r.createdAt)),
    lastUsedAt: iso(r.lastUsedAt),
  }));
  return { items, nextCursor: page.nextCursor };
}
