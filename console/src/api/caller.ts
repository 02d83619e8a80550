import type { z } from "zod";
import { ErrorBody, type ErrorDetail } from "@keyservice/sdk/src/errors";
import { type RouteDef, type RouteName, routes } from "@keyservice/sdk/src/routes";
import { readSession } from "./session";

type Routes = typeof routes;
type Output<R extends RouteDef> = R["response"] extends z.ZodType ? z.output<R["response"]> : void;
type BodyOf<R extends RouteDef> = R["body"] extends z.ZodType ? z.input<R["body"]> : never;
type QueryOf<R extends RouteDef> = R["query"] extends z.ZodType ? z.input<R["query"]> : never;

export interface CallOptions<R extends RouteDef> {
  /** Path parameters other than `org` (which comes from the session). */
  params?: Record<string, string>;
  query?: QueryOf<R>;
  body?: BodyOf<R>;
  /** Another token than the session's (a platform admin stopping its impersonation). */
  token?: string;
}

/** A refused or failed call, in words: the API's own message, and `details` naming each bad field. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = "ConsoleApiError";
  }
}

const unauthorizedListeners = new Set<() => void>();

/** Called when the service answers 401: the token was revoked, expired or never valid. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * Calls one route of the contract (`sdk/src/routes.ts`) with the browser's fetch: path, method and
 * schemas come from the route table, the response is parsed with the route's schema.
 */
export async function call<N extends RouteName>(name: N, opts: CallOptions<Routes[N]> = {}): Promise<Output<Routes[N]>> {
  const def: RouteDef = routes[name];
  const session = readSession();
  if (!session) throw new ConsoleApiError(401, "unauthorized", "You are signed out: sign in with a token.");
  const path = def.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = key === "org" ? session.org : opts.params?.[key];
    if (!value) throw new Error(`The path parameter "${key}" is required for ${def.path}.`);
    return encodeURIComponent(value);
  });
  const query = Object.entries((opts.query ?? {}) as Record<string, unknown>).flatMap(([k, v]): [string, string][] => (v === undefined || v === "" ? [] : [[k, String(v)]]));
  const url = path + (query.length > 0 ? "?" + new URLSearchParams(query).toString() : "");
  const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${opts.token ?? session.token}` };
  let body: string | undefined;
  if (def.body) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(url, { method: def.method, headers, body, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer" });
  } catch {
    throw new ConsoleApiError(0, "unavailable", "The service could not be reached: check that it is running, then try again.");
  }
  const text = await res.text();
  if (res.ok) {
    if (!def.response) return undefined as Output<Routes[N]>;
    const parsed = def.response.safeParse(text ? JSON.parse(text) : undefined);
    if (!parsed.success) throw new ConsoleApiError(res.status, "internal", `The service answered ${def.method} ${def.path} with a body that does not match the contract.`);
    return parsed.data as Output<Routes[N]>;
  }
  const error = errorOf(res.status, text);
  if (res.status === 401) for (const listener of unauthorizedListeners) listener();
  throw error;
}

function errorOf(status: number, text: string): ConsoleApiError {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) return new ConsoleApiError(status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details);
  } catch {
    // not JSON: a proxy's page, say so without showing it
  }
  return new ConsoleApiError(status, "unexpected", `The service answered ${status} without an error the console understands.`);
}

/** Every item of a list route, following `nextCursor` (bounded: a console shows at most `max`). */
export async function callAll<T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>, max = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}
