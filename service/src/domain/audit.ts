import type { AuditEvent } from "@keyservice/sdk";
import { sql } from "kysely";
import { newId } from "../crypto/ids";
import type { Db } from "../db/writer";
import { iso } from "../time";
import { paginate } from "./pagination";
import { type Caller, actorOf } from "./caller";

export interface AuditEntry {
  action: string;
  target?: string | null;
  outcome?: "success" | "failure";
  /** Free text beyond ids (an impersonation's reason): never a secret. */
  detail?: string | null;
}

/** Writes one audit event, in the caller's transaction. Entries name ids and kinds only: never a secret. */
export async function writeAudit(db: Db, orgId: string, actor: Caller | string, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("auditEvents")
    .values({
      id: newId(),
      orgId,
      at: Date.now(),
      actor: actorOf(actor),
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome ?? "success",
      detail: entry.detail ?? null,
      count: null,
      aggregateKey: null,
    })
    .execute();
}

/**
 * Counts a failed authentication in the org named by the URL: one row per org, client and
 * window, whose count grows, so a flood cannot grow the table without bound.
 */
export async function recordFailedAuthentication(db: Db, orgId: string, client: string, windowStart: number, target: string): Promise<void> {
  const now = Date.now();
  await db
    .insertInto("auditEvents")
    .values({
      id: newId(now),
      orgId,
      at: now,
      actor: `client:${client}`,
      action: "auth.failed",
      target,
      outcome: "failure",
      detail: null,
      count: 1,
      aggregateKey: `auth.failed:${orgId}:${client}:${windowStart}`,
    })
    .onConflict((oc) => oc.column("aggregateKey").doUpdateSet({ count: sql`coalesce(audit_events.count, 1) + 1` }))
    .execute();
}

/** A page of an org's audit events, oldest first, or newest first with `desc` (ids are time-ordered). */
export async function listAuditEvents(db: Db, orgId: string, limit: number, cursor?: string, action?: string, order: "asc" | "desc" = "asc") {
  let q = db.selectFrom("auditEvents").selectAll().where("orgId", "=", orgId);
  if (action) q = q.where("action", "=", action);
  const page = await paginate(q, { limit, cursor, order });
  const items: AuditEvent[] = page.items.map((e) => ({
    id: e.id,
    at: iso(Number(e.at)),
    actor: e.actor,
    action: e.action,
    target: e.target,
    outcome: e.outcome,
    detail: e.detail,
    count: e.count === null ? 1 : Number(e.count),
  }));
  return { items, nextCursor: page.nextCursor };
}
