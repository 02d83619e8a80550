import { ApiError, pathParams, type RouteDef } from "@keyservice/sdk";
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import { z } from "zod";
import type { Db, Tx } from "../db/writer";
import { writeAudit } from "../domain/audit";
import type { OrgCaller } from "../domain/caller";
import { type Authenticated, authenticate, authenticatePlatformAdmin, authorize, type OrgRef, UNAUTHORIZED } from "../plugins/auth";
import { replayRule } from "../domain/idempotency";
import { recoveryRule } from "../domain/recovery";
import { type Replay, withIdempotency } from "../plugins/idempotency";

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Result<R extends RouteDef> = R["response"] extends z.ZodType ? z.input<R["response"]> : void;

/** Runs a write in one transaction; inside an idempotent route, in the transaction of its record. */
export type Write = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

export interface PublicContext<R extends RouteDef> {
  app: FastifyInstance;
  req: FastifyRequest;
  reply: FastifyReply;
  params: Record<string, string>;
  body: Parsed<R["body"]>;
  query: Parsed<R["query"]>;
}

export interface AuthedContext<R extends RouteDef> extends PublicContext<R> {
  caller: OrgCaller;
  org: OrgRef;
  /** Reads: inside an idempotent route, its transaction (SQLite has one connection: reading beside it would wait forever). */
  db: Db;
  write: Write;
}

/** A route of the platform admin (under /api/v1/admin): no org, a platform admin as the caller. */
export interface AdminContext<R extends RouteDef> extends PublicContext<R> {
  admin: { kind: "platform_admin"; id: string };
  db: Db;
  write: Write;
}

export type RouteModule = (app: FastifyInstance) => void;

declare module "fastify" {
  interface FastifyRequest {
    /** Who is calling and in which org, set by authentication before validation. */
    auth: { caller: OrgCaller; org: OrgRef } | null;
    platformAdmin: { kind: "platform_admin"; id: string } | null;
  }
}

function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

/** A response schema as JSON Schema, so Fastify serializes it with fast-json-stringify (fast, and only the declared fields). */
function responseJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "output", unrepresentable: "any", target: "draft-7" }) as Record<string, unknown>;
  return json;
}

/**
 * The route's schemas for Fastify: path parameters, query and body are validated with the sdk's
 * zod schemas (its validator compiler is the zod one: see plugins/validation.ts), the response is
 * serialized from the same zod schema.
 */
function schemaOf(def: RouteDef): FastifySchema {
  const schema: FastifySchema = {};
  const params = pathParams(def.path);
  if (params) schema.params = params;
  if (def.query) schema.querystring = def.query;
  if (def.body) schema.body = def.body;
  if (def.response) schema.response = { [def.status]: responseJsonSchema(def.response) };
  return schema;
}

/**
 * Routes with a body schema take a missing body as `{}`; an explicit JSON `null` stays null so the
 * error names the root. A callback hook: an async one costs a promise and a microtask per request.
 */
function emptyBody(req: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (req.body === undefined) req.body = {};
  done();
}

/**
 * A handler's context, as one object literal: built on every request, where an object spread from
 * others would get a hidden class of its own each time (an allocation the hot paths can feel).
 */
function authedContext<R extends RouteDef>(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, caller: OrgCaller, org: OrgRef, db: Db, write: Write): AuthedContext<R> {
  return { app, req, reply, params: req.params as Record<string, string>, body: req.body as Parsed<R["body"]>, query: req.query as Parsed<R["query"]>, caller, org, db, write };
}

/** Who calls, checked before validation: nothing to wait for when the cache knew the token. */
type Gate = (req: FastifyRequest, reply: FastifyReply) => void | Promise<void>;

/**
 * A gate as a callback hook: on a warm token it is passed at once, with no promise and no
 * microtask (an async hook costs both on every request); otherwise when its lookup settles.
 */
function gateHook(gate: Gate) {
  return (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    // Fails closed: `done()` with no error passes the gate, so a failure that carries none (a
    // `throw undefined` somewhere below) is still a failure (a 500), as Fastify makes it for an async hook.
    const fail = (err: unknown) => done(err instanceof Error ? err : new Error("authentication failed without an error"));
    let pending: void | Promise<void>;
    try {
      pending = gate(req, reply);
    } catch (err) {
      return fail(err);
    }
    if (pending) pending.then(() => done(), fail);
    else done();
  };
}

/** Where a route is served and what runs before its handler: who calls (before any validation), then the schemas. */
function routeOf(def: RouteDef, gate: Gate) {
  return { method: def.method, url: fastifyPath(def.path), schema: schemaOf(def), preValidation: [gateHook(gate), ...(def.body ? [emptyBody] : [])] };
}

/** How an idempotent route replays; refuses, at registration, one whose audit action or "still stands" rule is missing. */
function replayOf(def: RouteDef): Replay | undefined {
  if (!def.idempotent) return undefined;
  const route = `${def.method} ${def.path}`;
  if (!def.audit) throw new Error(`Route ${route} is idempotent but names no audit action for its replays.`);
  const stillStands = replayRule(def.audit);
  if (!stillStands) throw new Error(`Route ${route} is idempotent, but no rule says when a replay of "${def.audit}" still stands: add one to REPLAY_RULES in domain/idempotency.ts.`);
  return { action: def.audit, stillStands, recover: recoveryRule(def.audit) };
}

/**
 * Registers one operation of the contract: authenticates and authorizes by the route's access
 * rule before anything is validated (a caller without a credential learns nothing from a 422),
 * validates through Fastify with the sdk's schemas (422 naming each field), and replays
 * idempotent calls.
 */
export function defineRoute<R extends RouteDef>(def: R, handler: (ctx: AuthedContext<R>) => Promise<Result<R>>): RouteModule {
  const replay = replayOf(def);
  return (app) => {
    const write: Write = (work) => app.writer.run(work);
    const admit = (req: FastifyRequest, authed: Authenticated) => {
      authorize(authed.caller, def, req.params as Record<string, string>);
      req.auth = authed;
    };
    // A warm token is admitted with no promise and no closure; a lookup's answer when it settles.
    const gate: Gate = (req, reply) => {
      const authed = authenticate(app, req, reply);
      if (authed instanceof Promise) return authed.then((a) => admit(req, a));
      admit(req, authed);
    };
    // Every request of an impersonating platform admin is in the org's trail; writes record themselves.
    const auditedRead = async (req: FastifyRequest, reply: FastifyReply, caller: OrgCaller, org: OrgRef) => {
      await app.writer.run((tx) => writeAudit(tx.db, org.id, caller, { action: "impersonation.read", target: `GET ${fastifyPath(def.path)}` }));
      reply.code(def.status);
      return handler(authedContext<R>(app, req, reply, caller, org, app.db, write));
    };
    app.route({
      ...routeOf(def, gate),
      handler: (req, reply) => {
        // Set by the gate; never missing past it, but a route must not run for a caller nobody admitted.
        if (!req.auth) throw new ApiError("unauthorized", UNAUTHORIZED);
        const { caller, org } = req.auth;
        if (replay) return replayable(req, reply, caller, org, replay);
        if (caller.kind === "impersonation" && def.method === "GET") return auditedRead(req, reply, caller, org);
        // The common case returns the handler's own promise: no async frame of its own to await it.
        // The status is set first: a handler that throws is answered by the error handler, which sets its own.
        reply.code(def.status);
        const body = handler(authedContext<R>(app, req, reply, caller, org, app.db, write));
        return def.status === 204 ? body.then(() => reply.send()) : body;
      },
    });
    async function replayable(req: FastifyRequest, reply: FastifyReply, caller: OrgCaller, org: OrgRef, replay: Replay) {
      const result = await withIdempotency(app, req, org.id, caller, replay, async (tx) => ({
        status: def.status,
        body: await handler(authedContext<R>(app, req, reply, caller, org, tx.db, (work) => work(tx))),
      }));
      if (result.replayed) reply.header("idempotent-replayed", "true");
      reply.code(result.status);
      return result.status === 204 ? reply.send() : result.body;
    }
  };
}

/** Registers a platform admin's route: only a `ks_adm_` token passes; every other API credential gets 403. */
export function defineAdminRoute<R extends RouteDef>(def: R, handler: (ctx: AdminContext<R>) => Promise<Result<R>>): RouteModule {
  if (def.access !== "platform-admin") throw new Error(`Route ${def.method} ${def.path} is not a platform admin's route.`);
  return (app) => {
    const write: Write = (work) => app.writer.run(work);
    app.route({
      ...routeOf(def, (req, reply) => {
        const admin = authenticatePlatformAdmin(app, req, reply);
        if (admin instanceof Promise) return admin.then(({ id }) => void (req.platformAdmin = { kind: "platform_admin", id }));
        req.platformAdmin = { kind: "platform_admin", id: admin.id };
      }),
      handler: async (req, reply) => {
        if (!req.platformAdmin) throw new ApiError("unauthorized", UNAUTHORIZED);
        const result = await handler({ app, req, reply, params: req.params as Record<string, string>, body: req.body as Parsed<R["body"]>, query: req.query as Parsed<R["query"]>, admin: req.platformAdmin, db: app.db, write });
        reply.code(def.status);
        return def.status === 204 ? reply.send() : result;
      },
    });
  };
}

/** A route that authenticates itself (health, readiness, the OpenAPI document, execution). */
export function definePublicRoute<R extends RouteDef>(def: R, handler: (ctx: PublicContext<R>) => Promise<Result<R>>): RouteModule {
  if (def.access !== "public" && def.access !== "deployment") throw new Error(`Route ${def.path} is not public.`);
  return (app) => {
    app.route({
      method: def.method,
      url: fastifyPath(def.path),
      schema: schemaOf(def),
      ...(def.body ? { preValidation: emptyBody } : {}),
      handler: async (req, reply) => {
        const result = await handler({ app, req, reply, params: req.params as Record<string, string>, body: req.body as Parsed<R["body"]>, query: req.query as Parsed<R["query"]> });
        reply.code(def.status);
        return result;
      },
    });
  };
}
