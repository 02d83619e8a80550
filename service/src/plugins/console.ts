import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Where `npm run build` puts the web console (`console/dist` of the repository); `KEYSERVICE_CONSOLE_DIR` overrides it. */
export const DEFAULT_CONSOLE_DIR = path.resolve(__dirname, "../../../console/dist");

/** The console's whole policy: its own files only, nothing inline, no framing, no plugins, no <base>. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONSOLE_CSP,
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

const NOT_BUILT = "The keyservice web console is not built: run `npm run build`, then restart `keyservice serve`.\n";

/**
 * Serves the web console's static files at /console/ with its security headers. Encapsulated (not
 * fastify-plugin): the headers hook applies to these routes only, never to the API.
 */
export async function consolePlugin(app: FastifyInstance): Promise<void> {
  const root = app.config.env.KEYSERVICE_CONSOLE_DIR || DEFAULT_CONSOLE_DIR;
  app.addHook("onSend", async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.get("/console", (_req, reply) => reply.redirect("/console/", 301));

  if (!fs.existsSync(path.join(root, "index.html"))) {
    app.log.warn({ dir: root }, "the web console is not built: /console/ answers 503 until `npm run build`");
    const notBuilt = (_req: unknown, reply: FastifyReply) => reply.code(503).type("text/plain; charset=utf-8").send(NOT_BUILT);
    app.get("/console/", notBuilt);
    app.get("/console/*", notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/console/",
    index: "index.html",
    redirect: false,
    cacheControl: false,
    // Assets carry a content hash in their names; index.html must be revalidated to pick up a new build.
    setHeaders: (res, file) => res.setHeader("cache-control", file.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache"),
  });
}
