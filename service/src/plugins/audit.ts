import fp from "fastify-plugin";
import { newId } from "../crypto/ids";
import type { Store } from "../db/connect";
import type { Caller } from "./context";

export interface AuditEntry {
  action: string;
  target?: string | null;
  outcome?: "success" | "failure";
  actor?: string;
}

declare module "fastify" {
  interface FastifyInstance {
    audit(orgId: string, caller: Caller | string, entry: AuditEntry): Promise<void>;
  }
}

export function actorOf(caller: Caller | string): string {
  if (typeof caller === "string") return caller;
  return caller.kind === "user" ? `user:${caller.id}` : `platform_api_key:${caller.id}`;
}

/** Writes one audit event. Entries name ids and kinds only: never a secret. */
export async function writeAudit(store: Store, orgId: string, caller: Caller | string, entry: AuditEntry): Promise<void> {
  await store
    .insertInto("auditEvents")
    .values({
      id: newId(),
      orgId,
      at: Date.now(),
      actor: entry.actor ?? actorOf(caller),
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome ?? "success",
    })
    .execute();
}

export const auditPlugin = fp(
  async (app) => {
    app.decorate("audit", (orgId: string, caller: Caller | string, entry: AuditEntry) => writeAudit(app.store, orgId, caller, entry));
  },
  { name: "keyservice-audit", dependencies: ["keyservice-context"] },
);
