import http from "node:http";
import https from "node:https";

/**
 * Idle connections close after 4 s: before Node's default server keep-alive timeout (5 s), so a
 * reuse never races the server closing the socket. A shorter `Keep-Alive: timeout=` hint wins.
 */
const IDLE_MS = 4_000;

const agents = {
  http: new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  https: new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
};

/**
 * The keep-alive agent for a URL. The engine runs every call of a stack's dynamic resources in one
 * provider process, several at once: they share a few connections instead of opening one each.
 * Idle sockets are unref'd, so they never keep the process alive.
 */
export function agentFor(url: URL): http.Agent {
  return url.protocol === "https:" ? agents.https : agents.http;
}
