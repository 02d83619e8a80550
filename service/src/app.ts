import Fastify, { type FastifyInstance, LogController } from "fastify";
import { fastifyTrustProxy } from "./auth/trust-proxy";
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from "./client-errors";
import type { ServiceConfig } from "./config";
import type { Keyring } from "./crypto/keyring";
import type { Store } from "./db/connect";
import { loggerOptions } from "./logger";
import { consolePlugin } from "./plugins/console";
import { contextPlugin } from "./plugins/context";
import { docsPlugin } from "./plugins/docs";
import { errorsPlugin } from "./plugins/errors";
import { metricsPlugin } from "./plugins/metrics";
import { requestEndPlugin } from "./plugins/request-end";
import { validationPlugin } from "./plugins/validation";
import { writeBatchPlugin } from "./plugins/write-batch";
import { requestLoggerFactory } from "./request-logger";
import { registerRoutes } from "./routes";

export interface AppDeps {
  config: ServiceConfig;
  store: Store;
  keyring: Keyring;
  /** A pino destination stream (tests capture logs to search them for secrets). */
  logStream?: NodeJS.WritableStream;
}

/** Builds the app: the app's own decorators first, then routes. */
export async function buildApp({ config, store, keyring, logStream }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logStream ? { ...loggerOptions(config.logLevel), stream: logStream } : loggerOptions(config.logLevel),
    bodyLimit: 1024 * 1024,
    // Only the configured proxies are believed about the client's address (see auth/trust-proxy.ts).
    trustProxy: fastifyTrustProxy(config.trustProxy),
    return503OnClosing: true,
    clientErrorHandler,
    frameworkErrors,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // One line per request instead of two, written by plugins/request-end.ts.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLoggerFactory,
  });
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    // Clients often send a JSON content type on body-less requests (DELETE, rotate): treat as no body.
    const text = body.toString();
    if (text === "") return done(null, undefined);
    parseJson(req, text, done);
  });
  await app.register(writeBatchPlugin);
  await app.register(validationPlugin);
  await app.register(contextPlugin, { store, keyring, config });
  await app.register(metricsPlugin);
  await app.register(requestEndPlugin);
  await app.register(errorsPlugin);
  await app.register(docsPlugin);
  await registerRoutes(app);
  await app.register(consolePlugin);
  return app;
}
