import { isIP } from "node:net";

/** What Fastify's `trustProxy` takes: false, a hop count, or the addresses and CIDRs of the proxies. */
export type TrustProxy = false | number | string[];

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Parses KEYSERVICE_TRUST_PROXY: unset for no proxy, a hop count (`1`), or the proxies' addresses
 * and CIDRs (`10.0.0.0/8,192.168.1.10`). `true` (trust every hop) is refused: it lets any client
 * pick its own address in X-Forwarded-For, to evade the limiter or lock out someone else.
 */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = text?.trim() ?? "";
  if (value === "" || value === "false" || value === "0") return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === "true") {
    throw new Error(
      'KEYSERVICE_TRUST_PROXY=true would trust every hop, so clients could choose their own address: set the number of proxies in front of keyservice (e.g. 1) or their addresses/CIDRs (e.g. "10.0.0.0/8").',
    );
  }
  const entries = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = entries.find((entry) => !isAddressOrCidr(entry));
  if (bad !== undefined) {
    throw new Error(`KEYSERVICE_TRUST_PROXY entry "${bad}" is not an IP address or CIDR: use a hop count or addresses like "10.0.0.0/8,192.168.1.10".`);
  }
  return entries;
}

/**
 * Fastify's form of the setting. A hop count trusts that many hops nearest the service whoever
 * they are (Fastify's own number form now fails closed), so it is only safe where clients can
 * reach keyservice through the proxies alone; a list of addresses is safe everywhere.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return trust;
}
