import { z } from "zod";
import { Id, Instant } from "./common";

export const AuditOutcome = z.enum(["success", "failure"]);

/** One audit event. Never holds a secret: actors and targets are ids and kinds. */
export const AuditEvent = z.object({
  id: Id,
  at: Instant,
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: AuditOutcome,
});
export type AuditEvent = z.infer<typeof AuditEvent>;
