import { ApiError } from "@keyservice/sdk";
import type { FastifyError } from "fastify";
import fp from "fastify-plugin";
import { isStoreUnavailable } from "../db/errors";

/** One error shape everywhere; 5xx details are logged, never sent. */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
      const apiError = toApiError(err);
      if (apiError.code === "unavailable") {
        req.log.warn({ err: (err as Error).message }, "store unavailable");
        reply.header("retry-after", "1");
      } else if (apiError.status >= 500) {
        req.log.error({ err }, "request failed");
      }
      if (apiError.code === "rate_limited" && !reply.hasHeader("retry-after")) reply.header("retry-after", "60");
      return reply.code(apiError.status).send(apiError.toBody());
    });
    app.setNotFoundHandler((req, reply) => {
      const err = new ApiError("not_found", `There is no route ${req.method} ${req.url.split("?")[0]}.`);
      return reply.code(404).send(err.toBody());
    });
  },
  { name: "keyservice-errors", dependencies: ["keyservice-context"] },
);

function toApiError(err: FastifyError | ApiError): ApiError {
  if (err instanceof ApiError) return err;
  if (isStoreUnavailable(err)) return new ApiError("unavailable", "The service cannot reach its store right now; retry shortly.");
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new ApiError("bad_request", "The request body is not valid JSON.");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError("payload_too_large", "The request body is larger than 1 MiB.");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError("bad_request", "Send the request body as application/json.");
  }
  if (err.name === "SyntaxError" && err.statusCode === 400) return new ApiError("bad_request", "The request body is not valid JSON.");
  if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError("bad_request", "The request could not be read.");
  }
  return new ApiError("internal", "An internal error occurred; it has been logged.");
}
