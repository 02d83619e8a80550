import http from "node:http";
import type { AddressInfo } from "node:net";

/** An HTTP proxy on 127.0.0.1 that sends each request to the next of several upstreams, as a load balancer would. */
export interface RoundRobin {
  url: string;
  /** How many requests each upstream received. */
  counts: number[];
  close(): Promise<void>;
}

export async function startRoundRobin(upstreams: string[]): Promise<RoundRobin> {
  const counts = upstreams.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const i = next++ % upstreams.length;
    counts[i]++;
    const target = new URL(req.url ?? "/", upstreams[i]);
    const forward = http.request(target, { method: req.method, headers: req.headers, agent: false }, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    forward.on("error", () => {
      res.writeHead(502).end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
