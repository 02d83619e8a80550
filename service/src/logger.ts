import type { LoggerOptions } from "pino";

/** JSON logs. Bodies are never logged; credential-bearing headers are redacted should they ever be. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", "*.token", "*.key", "*.apiKey"],
      censor: "[redacted]",
    },
  };
}
