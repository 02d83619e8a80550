import { parseOrThrow, type RouteDef } from "@keyservice/sdk";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Org } from "../db/tables/orgs.table";
import { authenticate, authorize } from "../plugins/auth";
import type { Caller } from "../plugins/context";
import { withIdempotency } from "../plugins/idempotency";

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Result<R extends RouteDef> = R["response"] extends z.ZodType ? z.input<R["response"]> : void;

export interface AuthedContext<R extends RouteDef> {
  app: FastifyInstance;
  req: FastifyRequest;
  reply: FastifyReply;
  params: Record<string, string>;
  body: Parsed<R["body"]>;
  query: Parsed<R["query"]>;
  caller: Caller;
  org: Org;
}

export interface PublicContext<R extends RouteDef> extends Omit<AuthedContext<R>, "caller" | "org"> {}

export type RouteModule = (app: FastifyInstance) => void;

/** The request body, `{}` when none was sent; an explicit JSON `null` stays null so the error names the root. */
function bodyOf(req: FastifyRequest): unknown {
  return req.body === undefined ? {} : req.body;
}

function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

/**
 * Registers one operation of the contract: authenticates and authorizes by the route's access
 * rule, validates body and query with the sdk's schemas (422 naming each field), and replays
 * idempotent calls.
 */
export function defineRoute<R extends RouteDef>(def: R, handler: (ctx: AuthedContext<R>) => Promise<Result<R>>): RouteModule {
  return (app) => {
    app.route({
      method: def.method,
      url: fastifyPath(def.path),
      handler: async (req, reply) => {
        const caller = await authenticate(app, req);
        authorize(caller, def.access, def.method, def.minTier);
        const params = req.params as Record<string, string>;
        const body = (def.body ? parseOrThrow(def.body, bodyOf(req)) : undefined) as Parsed<R["body"]>;
        const query = (def.query ? parseOrThrow(def.query, req.query ?? {}, "query") : undefined) as Parsed<R["query"]>;
        const org = req.org as Org;
        const run = async () => ({ status: def.status, body: await handler({ app, req, reply, params, body, query, caller, org }) });
        const result = def.idempotent ? await withIdempotency(app, req, org.id, run) : { ...(await run()), replayed: false };
        if (result.replayed) reply.header("idempotent-replayed", "true");
        reply.code(result.status);
        return result.status === 204 ? reply.send() : result.body;
      },
    });
  };
}

/** A route that authenticates itself (health, execution). */
export function definePublicRoute<R extends RouteDef>(def: R, handler: (ctx: PublicContext<R>) => Promise<Result<R>>): RouteModule {
  return (app) => {
    app.route({
      method: def.method,
      url: fastifyPath(def.path),
      handler: async (req, reply) => {
        const params = req.params as Record<string, string>;
        const body = (def.body ? parseOrThrow(def.body, bodyOf(req)) : undefined) as Parsed<R["body"]>;
        const query = (def.query ? parseOrThrow(def.query, req.query ?? {}, "query") : undefined) as Parsed<R["query"]>;
        const result = await handler({ app, req, reply, params, body, query });
        reply.code(def.status);
        return result;
      },
    });
  };
}
