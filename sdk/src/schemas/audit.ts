import { z } from "zod";
import { Id, Instant, PageQuery } from "./common";

export const AuditOutcome = z.enum(["success", "failure"]);

/** One audit event. Never holds a secret: actors and targets are ids and kinds. */
export const AuditEvent = z.object({
  id: Id,
  at: Instant,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: AuditOutcome,
  /** Free text beyond ids, such as the reason given for an impersonation; null for most events. */
  detail: z.string().nullable(),
  /** How many occurrences the event stands for: failed authentications of one client in one window are one event. */
  count: z.number().int().min(1),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = PageQuery.extend({
  action: z.string().min(1).max(100, "must be at most 100 characters").optional(),
  order: z.enum(["asc", "desc"], { error: 'must be "asc" (oldest first) or "desc" (newest first)' }).default("asc"),
});
/** Query of the audit list: a page, optionally one action (e.g. `global_api_key.rotate`), oldest first unless `order` is `desc`. */
export type AuditQuery = { limit?: number; cursor?: string; action?: string; order?: "asc" | "desc" };
