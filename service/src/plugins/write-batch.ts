import type { Socket } from "node:net";
import fp from "fastify-plugin";

type Callback = (err?: Error | null) => void;

// A socket's write waiting for the end of the turn: at most one, a stream runs one write at a time.
const PENDING = Symbol("keyservice.pendingWrite");
type Batched = Socket & { [PENDING]?: () => void };

let waiting: Batched[] = [];
// While writes are handed over, the writes they lead to (the chunks queued behind them) go at once.
let flushing = false;

// A throw from a write's own callbacks (finish, onResponse, the next pipelined answer) reaches the
// process as it would have without the wait, and the other sockets' writes still go out.
function run(write: () => void): void {
  try {
    write();
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}

function handOver(socket: Batched): void {
  const write = socket[PENDING];
  if (write === undefined) return;
  socket[PENDING] = undefined;
  const was = flushing;
  flushing = true;
  run(write);
  flushing = was;
}

function flush(): void {
  const sockets = waiting;
  waiting = [];
  for (const socket of sockets) handOver(socket);
}

function atTurnEnd(socket: Batched, write: () => void): void {
  if (flushing) return run(write);
  socket[PENDING] = write;
  if (waiting.push(socket) === 1) setImmediate(flush);
}

/**
 * Hands a connection's writes to the kernel at the end of the event-loop turn they were made in,
 * with every other connection's; a destroy hands over what is waiting first. Why, and what it
 * costs: README, Design ("Answers are handed to the kernel once per turn of the event loop").
 */
export function writeAtTurnEnd(connection: Socket): void {
  const socket = connection as Batched;
  socket[PENDING] = undefined;
  const { _write: write, _writev: writev, destroy } = socket;
  if (writev) {
    socket._writev = function (this: Batched, chunks: { chunk: unknown; encoding: BufferEncoding }[], callback: Callback) {
      atTurnEnd(this, () => writev.call(this, chunks, callback));
    };
  }
  socket._write = function (this: Batched, chunk: unknown, encoding: BufferEncoding, callback: Callback) {
    atTurnEnd(this, () => write.call(this, chunk, encoding, callback));
  };
  // Before the socket is marked destroyed: the waiting write and the chunks queued behind it still go out.
  socket.destroy = function (this: Batched, err?: Error) {
    handOver(this);
    return destroy.call(this, err);
  };
}

/** Every connection of the API's server writes at the end of its turn (see writeAtTurnEnd). */
export const writeBatchPlugin = fp(
  async (app) => {
    app.server.on("connection", writeAtTurnEnd);
  },
  { name: "keyservice-write-batch" },
);
