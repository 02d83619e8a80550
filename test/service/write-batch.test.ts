import { execFile } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { writeAtTurnEnd } from "@keyservice/service/dist/plugins/write-batch";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A connected pair of sockets on loopback: the server's end, and the client's with what it received. */
async function socketPair(): Promise<{ server: net.Socket; client: net.Socket; received: () => string; close: () => Promise<void> }> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const accepted = new Promise<net.Socket>((resolve) => listener.once("connection", resolve));
  const client = net.connect((listener.address() as net.AddressInfo).port, "127.0.0.1");
  let text = "";
  client.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("error", () => {});
  const server = await accepted;
  server.on("error", () => {});
  return {
    server,
    client,
    received: () => text,
    close: async () => {
      client.destroy();
      server.destroy();
      await new Promise((resolve) => listener.close(resolve));
    },
  };
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe("writes handed to the kernel once per turn of the event loop", () => {
  it("holds a connection's writes until the end of their turn, then writes them in order", async () => {
    const plain = await socketPair();
    const batched = await socketPair();
    try {
      plain.server.write("a");
      // Without it a small write goes to the kernel at once: nothing stays in the stream.
      expect(plain.server.writableLength).toBe(0);
      writeAtTurnEnd(batched.server);
      batched.server.write("a");
      batched.server.write("b");
      batched.server.write("c");
      expect(batched.server.writableLength).toBe(3);
      await Promise.resolve();
      expect(batched.server.writableLength).toBe(3);
      await nextTurn();
      expect(batched.server.writableLength).toBe(0);
      await until(() => batched.received().length === 3);
      expect(batched.received()).toBe("abc");
    } finally {
      await plain.close();
      await batched.close();
    }
  });

  it("hands over a waiting write and the chunks queued behind it when its socket is destroyed in the same turn", async () => {
    const pair = await socketPair();
    try {
      writeAtTurnEnd(pair.server);
      const closed = new Promise((resolve) => pair.client.once("close", resolve));
      pair.server.write("a");
      pair.server.write("b");
      pair.server.write("c");
      pair.server.destroy();
      await closed;
      expect(pair.received()).toBe("abc");
    } finally {
      await pair.close();
    }
  });

  it("still hands over a response ended in the turn its server closes (and destroys its idle connections) in", async () => {
    const server = http.createServer((_req, res) => {
      // One callback ends the answer and closes the server: closeIdleConnections() destroys the
      // socket of every finished response in that same turn, before its write is due.
      setTimeout(() => {
        res.end("answered");
        server.close();
      }, 1);
    });
    server.on("connection", writeAtTurnEnd);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("answered");
  });

  it("rethrows a throw from a write's own callbacks outside the batch, and still hands over the other writes of its turn", async () => {
    // In a process of its own: the throw is meant to reach the process (its uncaughtException).
    const script = `
      const net = require("node:net");
      const { writeAtTurnEnd } = require(${JSON.stringify(require.resolve("@keyservice/service/dist/plugins/write-batch"))});
      process.on("uncaughtException", (err) => console.log("uncaught: " + err.message));
      const listener = net.createServer((socket) => {
        writeAtTurnEnd(socket);
        socket.write(socket.remotePort === first.localPort ? "x" : "y", () => {
          if (socket.remotePort === first.localPort) throw new Error("a callback of the write threw");
        });
      }).listen(0, "127.0.0.1", () => {
        const port = listener.address().port;
        first = net.connect(port, "127.0.0.1");
        const second = net.connect(port, "127.0.0.1");
        second.setEncoding("utf8").on("data", (text) => { console.log("second received: " + text); process.exit(0); });
      });
      let first;`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["-e", script], { timeout: 20_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    expect(out).toContain("uncaught: a callback of the write threw");
    expect(out).toContain("second received: y");
  });

  it("is how the service's connections write, and answers pipelined requests on one connection in the order they were sent", async () => {
    expect(suite.svc.app.server.listeners("connection")).toContain(writeAtTurnEnd);
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
