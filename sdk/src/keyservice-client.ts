import type { z } from "zod";
import { type ClientOptions, HttpCaller } from "./client";
import type { RouteName, routes } from "./routes";
import type { DeleteOrgQuery, UsersQuery } from "./schemas/admin";
import type { AuditQuery } from "./schemas/audit";
import type { PageQuery } from "./schemas/common";

type Body<N extends keyof typeof routes> = (typeof routes)[N] extends { body: z.ZodType } ? z.input<(typeof routes)[N]["body"]> : never;

export interface WriteOptions {
  /** Makes a create or rotate safe to retry: a replay returns the first response. */
  idempotencyKey?: string;
}

/** The route names of the calls every resource of an org has besides create: list, get, update, delete. */
interface ResourceRoutes<L extends RouteName, G extends RouteName, U extends RouteName, D extends RouteName> {
  list: L;
  get: G;
  update: U;
  delete: D;
}

/** `http` is read at call time: the client's fields are initialized before its constructor sets `http`. */
function resourceCalls<L extends RouteName, G extends RouteName, U extends RouteName, D extends RouteName>(http: () => HttpCaller, names: ResourceRoutes<L, G, U, D>) {
  return {
    list: (query: PageQuery = {}) => http().call(names.list, { query }),
    get: (id: string) => http().call(names.get, { params: { id } }),
    update: (id: string, body: Body<U>) => http().call(names.update, { params: { id }, body }),
    delete: (id: string) => http().call(names.delete, { params: { id } }),
  };
}

/** A rotation: a new secret in place, shown once; `opts` makes it safe to retry. */
function rotateCall<R extends RouteName>(http: () => HttpCaller, name: R) {
  return (id: string, body: Body<R> = {} as Body<R>, opts: WriteOptions = {}) => http().call(name, { params: { id }, body, ...opts });
}

/**
 * The typed keyservice client. Every request is validated by the service with the same schemas
 * this client parses responses with; transient failures are retried with backoff.
 */
export class KeyserviceClient {
  readonly http: HttpCaller;

  constructor(options: ClientOptions) {
    this.http = new HttpCaller(options);
  }

  health() {
    return this.http.call("health");
  }

  ready() {
    return this.http.call("ready");
  }

  /** Who the client's token is in its org. */
  whoami() {
    return this.http.call("whoami");
  }

  readonly members = {
    create: (body: Body<"createMember">, opts: WriteOptions = {}) => this.http.call("createMember", { body, ...opts }),
    ...resourceCalls(() => this.http, { list: "listMembers", get: "getMember", update: "updateMember", delete: "deleteMember" }),
    rotateToken: rotateCall(() => this.http, "rotateMemberToken"),
  };

  /** The platform admin's API, across orgs (a `ks_adm_` token). */
  readonly admin = {
    orgs: {
      create: (body: Body<"createOrg">) => this.http.call("createOrg", { body }),
      list: (query: PageQuery = {}) => this.http.call("listOrgs", { query }),
      get: (slug: string) => this.http.call("getOrg", { params: { slug } }),
      update: (slug: string, body: Body<"updateOrg">) => this.http.call("updateOrg", { params: { slug }, body }),
      delete: (slug: string, query: DeleteOrgQuery = {}) => this.http.call("deleteOrg", { params: { slug }, query }),
    },
    users: {
      list: (query: UsersQuery = {}) => this.http.call("listUsers", { query }),
    },
    impersonate: (body: Body<"impersonate">) => this.http.call("impersonate", { body }),
    stopImpersonation: (id: string) => this.http.call("stopImpersonation", { body: { id } }),
  };

  readonly deployments = {
    create: (body: Body<"createDeployment">, opts: WriteOptions = {}) => this.http.call("createDeployment", { body, ...opts }),
    ...resourceCalls(() => this.http, { list: "listDeployments", get: "getDeployment", update: "updateDeployment", delete: "deleteDeployment" }),
    /** Looks a deployment up by name, paging through the list. */
    findByName: async (name: string) => {
      for (let cursor: string | undefined; ; ) {
        const page = await this.http.call("listDeployments", { query: { limit: 100, cursor } });
        const found = page.items.find((d) => d.name === name);
        if (found || !page.nextCursor) return found;
        cursor = page.nextCursor;
      }
    },
    /** Calls a deployment with a deployment key or a global API key as the bearer. */
    execute: (name: string, key: string) => this.http.call("executeDeployment", { params: { name }, token: key }),
    keys: {
      create: (id: string, body: Body<"createDeploymentKey"> = {}, opts: WriteOptions = {}) =>
        this.http.call("createDeploymentKey", { params: { id }, body, ...opts }),
      list: (id: string, query: PageQuery = {}) => this.http.call("listDeploymentKeys", { params: { id }, query }),
      delete: (id: string, keyId: string) => this.http.call("deleteDeploymentKey", { params: { id, keyId } }),
    },
  };

  readonly globalApiKeys = {
    create: (body: Body<"createGlobalApiKey">, opts: WriteOptions = {}) => this.http.call("createGlobalApiKey", { body, ...opts }),
    ...resourceCalls(() => this.http, { list: "listGlobalApiKeys", get: "getGlobalApiKey", update: "updateGlobalApiKey", delete: "deleteGlobalApiKey" }),
    rotate: rotateCall(() => this.http, "rotateGlobalApiKey"),
  };

  readonly platformApiKeys = {
    create: (body: Body<"createPlatformApiKey">, opts: WriteOptions = {}) => this.http.call("createPlatformApiKey", { body, ...opts }),
    ...resourceCalls(() => this.http, { list: "listPlatformApiKeys", get: "getPlatformApiKey", update: "updatePlatformApiKey", delete: "deletePlatformApiKey" }),
    rotate: rotateCall(() => this.http, "rotatePlatformApiKey"),
  };

  readonly llmKeys = {
    create: (body: Body<"createLlmKey">, opts: WriteOptions = {}) => this.http.call("createLlmKey", { body, ...opts }),
    ...resourceCalls(() => this.http, { list: "listLlmKeys", get: "getLlmKey", update: "updateLlmKey", delete: "deleteLlmKey" }),
    verify: (id: string, body: Body<"verifyLlmKey">) => this.http.call("verifyLlmKey", { params: { id }, body }),
  };

  readonly keys = {
    verify: (key: string) => this.http.call("verifyKey", { body: { key } }),
  };

  readonly auditEvents = {
    list: (query: AuditQuery = {}) => this.http.call("listAuditEvents", { query }),
  };
}
