import { isIPv4, isIPv6 } from "node:net";

/**
 * The client a failed authentication is counted against: an IPv4 address, or the /64 an IPv6
 * address belongs to (one host usually holds a whole /64, so counting single addresses would let
 * it rotate through 2^64 of them). Anything that is not an address is "unknown".
 */
export function clientOf(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
  return "unknown";
}

/** The eight 16-bit groups of an IPv6 address, lowercase, without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase().split("%")[0];
  // An embedded IPv4 tail (::1.2.3.4) is two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16));
}
