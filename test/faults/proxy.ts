import net from "node:net";
import type { AddressInfo } from "node:net";

/** What the proxy did to one connection. */
export type Fault = "none" | "reset-before" | "reset-after-request" | "stall" | "stall-after-request" | "delay" | "withhold";

/** Whether a request line is a write to one of these route patterns (each `:param` one path segment). */
function writesTo(requestLine: string, patterns: readonly string[]): boolean {
  const match = /^(POST|PATCH|DELETE) (\S+) HTTP\/1\.1/.exec(requestLine);
  if (!match) return false;
  const pathname = match[2].split("?")[0];
  return patterns.some((pattern) => new RegExp(`^${pattern.replace(/:[^/]+/g, "[^/]+")}$`).test(pathname));
}

/** How long a stalled connection hangs before it is reset. */
const STALL_MS = 1_500;

/** A seeded generator (mulberry32): the same seed makes the same faults in the same order. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultProxy {
  url: string;
  /** Where connections go: changed when the service restarts on another port. */
  upstream: string;
  /** The share of requests that get a fault (0 passes everything through). */
  rate: number;
  /**
   * How long every answer spends "on the wire" before the client gets it. An answer still held
   * when the service dies is lost with it, as answers in flight are when a host is killed: a kill
   * then loses answers to writes that committed, the case the provider must converge from.
   */
  holdMs: number;
  /**
   * Route patterns (`/api/v1/orgs/:org/deployments`) whose write answers (POST, PATCH, DELETE) are
   * never delivered: held until sever(). A kill once the service answered them loses every one,
   * however long the machine takes between them.
   */
  withhold: readonly string[];
  /** How many connections got each fault. */
  counts: Record<Fault, number>;
  /** Resets every connection at once, with the answers it still holds: what clients of a killed service see. */
  sever(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 between the provider and the service that breaks a share of the
 * connections: reset before anything reaches the service; reset after the request reached it, as
 * its answer starts (the service committed, the client never hears); stall then reset, before the
 * request reaches the service or after (it committed, and the client waits for an answer that
 * never comes); or delay the answer. Faults are per request, also on a connection kept alive for
 * several.
 */
export async function startFaultProxy(upstream: string, seed: number, rate = 0): Promise<FaultProxy> {
  const random = seeded(seed);
  const counts: Record<Fault, number> = { none: 0, "reset-before": 0, "reset-after-request": 0, stall: 0, "stall-after-request": 0, delay: 0, withhold: 0 };
  const sockets = new Set<net.Socket>();
  const pick = (): Fault => {
    if (random() >= proxy.rate) return "none";
    const faults: Fault[] = ["reset-before", "reset-after-request", "stall", "stall-after-request", "delay"];
    return faults[Math.floor(random() * faults.length)];
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    const target = new URL(proxy.upstream);
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      // Answers still held are delivered first (sever() is how a dead service loses them).
      setTimeout(() => client.destroy(), proxy.holdMs + 50);
    });
    upstream.on("error", () => client.resetAndDestroy());
    client.on("close", () => upstream.destroy());
    /** The fault of the request in flight (clients keep connections alive: faults are per request). */
    let current: Fault = "none";
    let delayMs = 0;
    let stalling: NodeJS.Timeout | undefined;
    client.on("data", (chunk: Buffer) => {
      // A request line starts a new request; its other chunks follow it through.
      const head = chunk.toString("latin1", 0, 4096);
      if (/^[A-Z]+ \S+ HTTP\/1\.1\r\n/.test(head)) {
        current = writesTo(head, proxy.withhold) ? "withhold" : pick();
        counts[current]++;
        delayMs = 100 + Math.floor(random() * 400);
      }
      if (current === "reset-before") return void client.resetAndDestroy();
      if (current === "stall") return void setTimeout(() => client.resetAndDestroy(), STALL_MS);
      upstream.write(chunk);
    });
    client.on("end", () => upstream.end());
    upstream.on("data", (chunk: Buffer) => {
      if (current === "withhold") return;
      // The request reached the service whole; its answer is swallowed, then the connection reset.
      if (current === "stall-after-request") {
        if (!stalling) stalling = setTimeout(() => (client.resetAndDestroy(), upstream.destroy()), STALL_MS);
        return;
      }
      // The request reached the service whole; the first byte of its answer is never delivered.
      if (current === "reset-after-request") {
        client.resetAndDestroy();
        return void upstream.destroy();
      }
      const hold = (current === "delay" ? delayMs : 0) + proxy.holdMs;
      if (hold > 0) {
        upstream.pause();
        setTimeout(() => {
          if (!client.destroyed) client.write(chunk);
          upstream.resume();
        }, hold);
        return;
      }
      client.write(chunk);
    });
    upstream.on("end", () => setTimeout(() => client.end(), proxy.holdMs + 20));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upstream,
    rate,
    holdMs: 0,
    withhold: [],
    counts,
    sever: () => {
      for (const s of sockets) s.resetAndDestroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
