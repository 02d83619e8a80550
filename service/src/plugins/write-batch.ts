import type { Socket } from "node:net";
import fp from "fastify-plugin";

type Callback = (err?: Error | null) => void;

/** A socket's write waiting for the end of this turn: at most one, a stream runs one write at a time. */
const PENDING = Symbol("keyservice.pendingWrite");
type Batched = Socket & { [PENDING]?: () => void };

/** The sockets with a write waiting for the end of this turn of the event loop, in the order they wrote. */
let waiting: Batched[] = [];
/** While the turn's writes are handed over: a write they lead to (the next chunks of a stream) goes at once. */
let flushing = false;

/**
 * Runs a write. Its own callbacks run inside it (a response's finish, the onResponse hook, the next
 * pipelined answer), so a throw there is rethrown outside the batch, as it would have reached the
 * event loop without it, and the other sockets' writes still go out.
 */
function run(write: () => void): void {
  try {
    write();
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}

/** Hands over the socket's waiting write, if it still has one. */
function handOver(socket: Batched): void {
  const write = socket[PENDING];
  if (write === undefined) return;
  socket[PENDING] = undefined;
  run(write);
}

function flush(): void {
  const sockets = waiting;
  waiting = [];
  flushing = true;
  try {
    for (let i = 0; i < sockets.length; i++) handOver(sockets[i]);
  } finally {
    flushing = false;
  }
}

function atTurnEnd(socket: Batched, write: () => void): void {
  if (flushing) return run(write);
  socket[PENDING] = write;
  if (waiting.push(socket) === 1) setImmediate(flush);
}

/**
 * Hands a connection's writes to the kernel at the end of the turn of the event loop they were
 * made in, together with every other connection's, instead of one at a time between the requests
 * still to be read.
 *
 * Why: a write to a socket wakes the process that reads it. Answered one by one, a client that is
 * quicker than the service (a proxy or load balancer on the same host, any peer on loopback) reads
 * each answer, goes back to sleep, and is woken again by the next: a wake-up per response, which
 * on a VM costs an interrupt to the other core and shows as a slower `writev`. Written together, it
 * is woken once per batch.
 *
 * Only the system call moves: the stream sees a write in progress until then (as on a socket whose
 * kernel buffer is full), so `res.end()` and Fastify's reply and hooks run as before; a response's
 * `finish` (and with it the onResponse hook) comes when its bytes are handed over. A write waits for
 * the rest of its turn: the requests read with it, and the other callbacks of that poll. A socket
 * destroyed meanwhile (a server closing its idle connections in the same turn) still hands over the
 * write it had started first, as it would have without the wait; only what it never started is lost.
 */
export function writeAtTurnEnd(socket: Batched): void {
  socket[PENDING] = undefined;
  const writev = socket._writev;
  const write = socket._write;
  const destroy = socket._destroy;
  if (writev) {
    socket._writev = function (this: Batched, chunks: { chunk: unknown; encoding: BufferEncoding }[], callback: Callback) {
      atTurnEnd(this, () => writev.call(this, chunks, callback));
    };
  }
  socket._write = function (this: Batched, chunk: unknown, encoding: BufferEncoding, callback: Callback) {
    atTurnEnd(this, () => write.call(this, chunk, encoding, callback));
  };
  socket._destroy = function (this: Batched, err: Error | null, callback: Callback) {
    handOver(this);
    destroy.call(this, err, callback);
  };
}

/** Every connection of the API's server writes at the end of its turn (see writeAtTurnEnd). */
export const writeBatchPlugin = fp(
  async (app) => {
    app.server.on("connection", writeAtTurnEnd);
  },
  { name: "keyservice-write-batch" },
);
