import { ApiError, type ErrorDetail } from "@keyservice/sdk";
import type { FastifyError } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isStoreUnavailable } from "../db/errors";

/** Where a failed part of the request shows in a detail's path: body fields bare, the rest prefixed. */
const PART_PREFIX: Record<string, string | undefined> = { body: undefined, querystring: "query", params: "params", headers: "headers" };

/** Fastify's validation failure (from the zod schemas) as the 422 that names each bad field. */
function validationError(err: FastifyError & { validation: { instancePath: string; message: string; keyword: string; params: Record<string, unknown> }[] }): ApiError {
  const prefix = PART_PREFIX[err.validationContext ?? "body"];
  const join = (segments: string[]) => [...(prefix ? [prefix] : []), ...segments].join(".") || "(root)";
  const details: ErrorDetail[] = [];
  for (const issue of err.validation) {
    const segments = issue.instancePath.split("/").filter(Boolean);
    if (issue.keyword === "unrecognized_keys" && Array.isArray(issue.params.keys)) {
      for (const key of issue.params.keys as string[]) details.push({ path: join([...segments, key]), message: `"${key}" is not a known field.` });
    } else {
      details.push({ path: join(segments), message: issue.message });
    }
  }
  return new ApiError("validation_failed", `The request is not valid: check ${details.map((d) => d.path).join(", ")}.`, details);
}

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
  // Anything thrown that is not an Error (`throw undefined`, a string) is an internal error too.
  if (!(err instanceof Error)) return new ApiError("internal", "An internal error occurred; it has been logged.");
  if (hasZodFastifySchemaValidationErrors(err)) return validationError(err as Parameters<typeof validationError>[0]);
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
