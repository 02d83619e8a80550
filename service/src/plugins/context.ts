import fp from "fastify-plugin";
import type { Keyring } from "../crypto/keyring";
import type { Store } from "../db/connect";
import type { Org } from "../db/tables/orgs.table";
import type { ServiceConfig } from "../config";

/** Who is calling the management API. */
export type Caller =
  | { kind: "user"; id: string; orgId: string; role: "admin" | "member" }
  | { kind: "platform"; id: string; orgId: string; permission: "read" | "read_write" | "full_access" };

declare module "fastify" {
  interface FastifyInstance {
    store: Store;
    keyring: Keyring;
    config: ServiceConfig;
  }
  interface FastifyRequest {
    caller: Caller | null;
    org: Org | null;
  }
}

export interface ContextOptions {
  store: Store;
  keyring: Keyring;
  config: ServiceConfig;
}

/** The app's services, as decorators every later plugin and route can rely on. */
export const contextPlugin = fp<ContextOptions>(
  async (app, { store, keyring, config }) => {
    app.decorate("store", store);
    app.decorate("keyring", keyring);
    app.decorate("config", config);
    app.decorateRequest("caller", null);
    app.decorateRequest("org", null);
  },
  { name: "keyservice-context" },
);
