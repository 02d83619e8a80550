import type { Agent } from "node:http";
import type { FetchError } from "node-fetch";
import { z } from "zod";
import { ApiError, ErrorBody, type ErrorCode } from "./errors";
import { type RouteDef, type RouteName, routes } from "./routes";

/**
 * node-fetch, loaded on the first call: a process that only uses the contract (the service, which
 * imports the schemas and the route table from here) never loads it and its URL parser's tables
 * (about 2.5 MB of heap).
 */
let nodeFetch: typeof import("node-fetch") | undefined;
function loadFetch(): typeof import("node-fetch").default {
  return (nodeFetch ??= require("node-fetch") as typeof import("node-fetch")).default;
}

export interface ClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:8080`. */
  endpoint: string;
  /** Bearer token: a member token or a platform API key. */
  token?: string;
  /** The org slug every `/api/v1/orgs/{org}` call is made in. */
  org?: string;
  /** Attempts for a call that fails transiently (network, 429, 5xx). @default 4 */
  maxAttempts?: number;
  /** First backoff delay in ms, doubled each attempt, with jitter. @default 200 */
  backoffMs?: number;
  /** Per-attempt timeout in ms. @default 30000 */
  timeoutMs?: number;
  /** Sent as `User-Agent`. */
  userAgent?: string;
  /** The agent each request goes through, by URL (e.g. a keep-alive agent shared in a process). @default a new connection per request */
  agent?: (url: URL) => Agent;
}

export interface CallOptions {
  /** Path parameters other than `org`. */
  params?: Record<string, string>;
  query?: { [key: string]: string | number | undefined };
  body?: unknown;
  /** Sent as `Idempotency-Key`: makes a create or rotate safe to retry. */
  idempotencyKey?: string;
  /** Overrides the client's token for this call (e.g. a deployment key on execute). */
  token?: string;
}

/**
 * A failed call. Carries method, path, status and error code — never a request or response body
 * beyond the service's own error message, never a header, so it is safe to log.
 */
export class KeyserviceError extends ApiError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly method: string,
    readonly path: string,
    readonly httpStatus: number,
    details?: ApiError["details"],
  ) {
    super(code, `${method} ${path} failed with ${httpStatus} ${code}: ${message}`, details);
    this.name = "KeyserviceError";
  }
}

type Output<R extends RouteDef> = R["response"] extends z.ZodType ? z.output<R["response"]> : void;

const RETRIABLE_NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "UND_ERR_SOCKET"]);

/** The low-level typed caller: one method, any route of the contract. */
export class HttpCaller {
  private readonly endpoint: string;

  constructor(readonly options: ClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, "");
  }

  async call<N extends RouteName>(name: N, opts: CallOptions = {}): Promise<Output<(typeof routes)[N]>> {
    const def: RouteDef = routes[name];
    const path = this.resolvePath(def.path, opts.params);
    const url = this.endpoint + path + queryString(opts.query);
    const headers: Record<string, string> = { accept: "application/json" };
    const token = opts.token ?? this.options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (this.options.userAgent) headers["user-agent"] = this.options.userAgent;
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
    let body: string | undefined;
    if (opts.body !== undefined || def.body) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.body ?? {});
    }
    // A POST without an idempotency key is retried only when it surely never reached the service.
    const replaySafe = def.method !== "POST" || Boolean(opts.idempotencyKey);
    const maxAttempts = this.options.maxAttempts ?? 4;
    // Loaded before the attempts, so a failure to load it is not taken for an unreachable service.
    const fetch = loadFetch();
    for (let attempt = 1; ; attempt++) {
      let res;
      try {
        res = await fetch(url, { method: def.method, headers, body, timeout: this.options.timeoutMs ?? 30000, agent: this.options.agent });
      } catch (err) {
        const code = (err as FetchError).code ?? "";
        const neverSent = code === "ECONNREFUSED";
        if (attempt < maxAttempts && RETRIABLE_NETWORK.has(code) && (replaySafe || neverSent)) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new KeyserviceError("unavailable", `the service could not be reached (${code || "network error"}).`, def.method, path, 0);
      }
      const text = await res.text();
      if (res.ok) {
        if (!def.response) return undefined as Output<(typeof routes)[N]>;
        const parsed = def.response.safeParse(text ? JSON.parse(text) : undefined);
        if (!parsed.success) {
          throw new KeyserviceError("internal", "the response did not match the contract.", def.method, path, res.status);
        }
        return parsed.data as Output<(typeof routes)[N]>;
      }
      const transient = res.status === 429 || res.status >= 500;
      if (transient && replaySafe && attempt < maxAttempts) {
        await sleep(retryAfterMs(res.headers.get("retry-after")) ?? this.backoff(attempt));
        continue;
      }
      throw toError(def.method, path, res.status, text);
    }
  }

  private resolvePath(template: string, params: Record<string, string> = {}): string {
    return template.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = key === "org" ? (params.org ?? this.options.org) : params[key];
      if (value === undefined || value === "") throw new Error(`The path parameter "${key}" is required for ${template}.`);
      return encodeURIComponent(value);
    });
  }

  private backoff(attempt: number): number {
    const base = (this.options.backoffMs ?? 200) * 2 ** (attempt - 1);
    return base / 2 + Math.random() * base;
  }
}

function toError(method: string, path: string, status: number, text: string): KeyserviceError {
  let body: ErrorBody | undefined;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // not JSON: fall through to a generic error that does not echo the body
  }
  if (body) return new KeyserviceError(body.error.code, body.error.message, method, path, status, body.error.details);
  const code: ErrorCode = status >= 500 ? "internal" : status === 404 ? "not_found" : "bad_request";
  return new KeyserviceError(code, `unexpected ${status} response.`, method, path, status);
}

function queryString(query?: { [key: string]: string | number | undefined }): string {
  if (!query) return "";
  const entries = Object.entries(query).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]]));
  return entries.length === 0 ? "" : "?" + new URLSearchParams(entries).toString();
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? Math.min(seconds, 30) * 1000 : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
