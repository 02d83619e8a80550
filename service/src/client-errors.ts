import type { Socket } from "node:net";
import { ApiError } from "@keyservice/sdk";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/**
 * The longest path parameter routed: a name may have 255 characters, each up to 12 once
 * URL-encoded (a 4-byte character as %XX%XX%XX%XX); anything longer is refused by the router.
 */
export const MAX_PARAM_LENGTH = 255 * 12;

/** URLs the router refuses (an undecodable component, a parameter past MAX_PARAM_LENGTH), in the one error shape. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const error =
    err.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? new ApiError("validation_failed", `A path parameter is longer than ${MAX_PARAM_LENGTH} characters.`, [{ path: "params", message: `must be at most ${MAX_PARAM_LENGTH} characters` }])
      : new ApiError("bad_request", "The URL has a component that is not valid percent-encoding.");
  void reply.code(error.status).send(error.toBody());
}

/** How long after its answer a connection refused with a client error is closed. */
export const CLOSE_AFTER_MS = 5_000;

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or URL too large, a broken
 * request line, too slow) still get the one error shape, written straight to the socket.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // Answered once: the parser reports its error anew for every later piece of the same request,
  // and a second end() would be a write after the end, which destroys the socket at once.
  if (err.code === "ECONNRESET" || socket.destroyed || socket.writableEnded) return;
  const error =
    err.code === "HPE_HEADER_OVERFLOW"
      ? new ApiError("headers_too_large", "The request line or headers are larger than the service accepts (16 KB).")
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new ApiError("request_timeout", "The request took too long to arrive.")
        : new ApiError("bad_request", "The request is not valid HTTP.");
  const body = JSON.stringify(error.toBody());
  const reason = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" }[error.status] ?? "Bad Request";
  // Closed for good a while later: a peer that never closes its side (or keeps sending) must not
  // hold the connection open, and closing at once, with its request still arriving, would send a
  // reset that can discard this answer.
  const closing = setTimeout(() => socket.destroy(), CLOSE_AFTER_MS).unref();
  socket.once("close", () => clearTimeout(closing));
  socket.end(`HTTP/1.1 ${error.status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
