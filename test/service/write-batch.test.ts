import net from "node:net";
import Fastify from "fastify";
import { batchedWrites, writeBatchPlugin } from "@keyservice/service/dist/plugins/write-batch";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("responses written once per turn of the event loop", () => {
  it("holds the answers of one turn until its end, then writes them all, in order; a lone answer goes out in its own turn", async () => {
    const hook = batchedWrites();
    const written: unknown[] = [];
    const send = (err?: Error | null, payload?: unknown) => void written.push(err ?? payload);
    const call = (payload: string) => hook.call(undefined as never, undefined as never, undefined as never, payload, send);
    call("a");
    call("b");
    call("c");
    await Promise.resolve();
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual(["a", "b", "c"]);
    call("d");
    await nextTurn();
    expect(written).toEqual(["a", "b", "c", "d"]);
  });

  it("writes the rest of a batch when writing one answer throws, closes that one's connection, and keeps serving", async () => {
    const app = Fastify();
    await app.register(writeBatchPlugin);
    // Node refuses a control character in a header as the head is written: a throw inside the batch,
    // and again for the error answer (Fastify's error path keeps the header).
    app.get("/bad-header", async (_req, reply) => reply.header("x-bad", "a\u0001b").send({ ok: false }));
    app.get("/good", async () => ({ ok: true }));
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    const get = (path: string) => fetch(url + path).then(async (res) => ({ status: res.status, body: await res.text() }), () => ({ status: 0, body: "connection closed" }));
    try {
      const answers = await Promise.all(["/good", "/bad-header", "/good", "/good"].map(get));
      expect(answers[1]).toEqual({ status: 0, body: "connection closed" });
      for (const i of [0, 2, 3]) expect(answers[i]).toEqual({ status: 200, body: '{"ok":true}' });
      expect(await get("/good")).toEqual({ status: 200, body: '{"ok":true}' });
    } finally {
      await app.close();
    }
  });

  it("answers pipelined requests on one connection in the order they were sent", async () => {
    const dep = await suite.org.deployment();
    const key = suite.ledger.add((await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] })).key);
    const { hostname: host, port } = new URL(suite.svc.url);
    const head = (method: string, path: string, auth: string, body = "") =>
      `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\nauthorization: Bearer ${auth}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const org = `/api/v1/orgs/${suite.org.slug}`;
    const requests = [
      head("POST", `${org}/deployments/${dep.name}/execute`, key),
      head("GET", `${org}/deployments/${dep.id}`, suite.org.adminToken),
      head("GET", `${org}/global-api-keys/00000000-0000-7000-8000-000000000000`, suite.org.adminToken),
      head("POST", `${org}/keys/verify`, suite.org.adminToken, JSON.stringify({ key })),
      head("POST", `${org}/deployments/${dep.name}/execute`, suite.org.adminToken),
    ];
    /** Answers read off the socket, one after the other, each by its content-length. */
    const answers = await new Promise<{ status: number; body: string }[]>((resolve, reject) => {
      const socket = net.connect(Number(port), host);
      let buffer = Buffer.alloc(0);
      const parsed: { status: number; body: string }[] = [];
      socket.on("data", (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (let end = buffer.indexOf("\r\n\r\n"); end >= 0; end = buffer.indexOf("\r\n\r\n")) {
          const headText = buffer.subarray(0, end).toString("latin1");
          const length = Number(/^content-length: (\d+)$/im.exec(headText)?.[1]);
          if (buffer.length < end + 4 + length) break;
          parsed.push({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1]), body: buffer.subarray(end + 4, end + 4 + length).toString("utf8") });
          buffer = buffer.subarray(end + 4 + length);
        }
        if (parsed.length === requests.length) {
          socket.end();
          resolve(parsed);
        }
      });
      socket.on("error", reject);
      // All five in one write: they arrive together and are answered in one turn.
      socket.write(requests.join(""));
    });
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 200, 401]);
    const bodies = answers.map((a) => a.body);
    expect(JSON.parse(bodies[0])).toMatchObject({ deployment: dep.name, keyKind: "global" });
    expect(JSON.parse(bodies[1])).toMatchObject({ id: dep.id, name: dep.name });
    expect(JSON.parse(bodies[2]).error.code).toBe("not_found");
    expect(JSON.parse(bodies[3])).toMatchObject({ valid: true });
  });
});
