import type { z } from "zod";
import { type ClientOptions, HttpCaller } from "./client";
import type { routes } from "./routes";
import type { DeleteOrgQuery, UsersQuery } from "./schemas/admin";
import type { AuditQuery } from "./schemas/audit";
import type { PageQuery } from "./schemas/common";

type Body<N extends keyof typeof routes> = (typeof routes)[N] extends { body: z.ZodType } ? z.input<(typeof routes)[N]["body"]> : never;

export interface WriteOptions {
  /** Makes a create or rotate safe to retry: a replay returns the first response. */
  idempotencyKey?: string;
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
    list: (query: PageQuery = {}) => this.http.call("listMembers", { query }),
    get: (id: string) => this.http.call("getMember", { params: { id } }),
    update: (id: string, body: Body<"updateMember">) => this.http.call("updateMember", { params: { id }, body }),
    delete: (id: string) => this.http.call("deleteMember", { params: { id } }),
    rotateToken: (id: string, body: Body<"rotateMemberToken"> = {}, opts: WriteOptions = {}) =>
      this.http.call("rotateMemberToken", { params: { id }, body, ...opts }),
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
    create: (body: Body<"createDeployment">) => this.http.call("createDeployment", { body }),
    list: (query: PageQuery = {}) => this.http.call("listDeployments", { query }),
    get: (id: string) => this.http.call("getDeployment", { params: { id } }),
    update: (id: string, body: Body<"updateDeployment">) => this.http.call("updateDeployment", { params: { id }, body }),
    delete: (id: string) => this.http.call("deleteDeployment", { params: { id } }),
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
    list: (query: PageQuery = {}) => this.http.call("listGlobalApiKeys", { query }),
    get: (id: string) => this.http.call("getGlobalApiKey", { params: { id } }),
    update: (id: string, body: Body<"updateGlobalApiKey">) => this.http.call("updateGlobalApiKey", { params: { id }, body }),
    delete: (id: string) => this.http.call("deleteGlobalApiKey", { params: { id } }),
    rotate: (id: string, body: Body<"rotateGlobalApiKey"> = {}, opts: WriteOptions = {}) =>
      this.http.call("rotateGlobalApiKey", { params: { id }, body, ...opts }),
  };

  readonly platformApiKeys = {
    create: (body: Body<"createPlatformApiKey">, opts: WriteOptions = {}) => this.http.call("createPlatformApiKey", { body, ...opts }),
    list: (query: PageQuery = {}) => this.http.call("listPlatformApiKeys", { query }),
    get: (id: string) => this.http.call("getPlatformApiKey", { params: { id } }),
    update: (id: string, body: Body<"updatePlatformApiKey">) => this.http.call("updatePlatformApiKey", { params: { id }, body }),
    delete: (id: string) => this.http.call("deletePlatformApiKey", { params: { id } }),
    rotate: (id: string, body: Body<"rotatePlatformApiKey"> = {}, opts: WriteOptions = {}) =>
      this.http.call("rotatePlatformApiKey", { params: { id }, body, ...opts }),
  };

  readonly llmKeys = {
    create: (body: Body<"createLlmKey">) => this.http.call("createLlmKey", { body }),
    list: (query: PageQuery = {}) => this.http.call("listLlmKeys", { query }),
    get: (id: string) => this.http.call("getLlmKey", { params: { id } }),
    update: (id: string, body: Body<"updateLlmKey">) => this.http.call("updateLlmKey", { params: { id }, body }),
    delete: (id: string) => this.http.call("deleteLlmKey", { params: { id } }),
    verify: (id: string, body: Body<"verifyLlmKey">) => this.http.call("verifyLlmKey", { params: { id }, body }),
  };

  readonly keys = {
    verify: (key: string) => this.http.call("verifyKey", { body: { key } }),
  };

  readonly auditEvents = {
    list: (query: AuditQuery = {}) => this.http.call("listAuditEvents", { query }),
  };
}
