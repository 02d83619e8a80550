import type { Socket } from "node:net";
import fp from "fastify-plugin";

type Callback = (err?: Error | null) => void;

/** The writes of every connection that wait for the end of this turn of the event loop. */
let waiting: (() => void)[] = [];
/** While the turn's writes are handed over: a write they lead to (the next chunks of a stream) goes at once. */
let flushing = false;

function flush(): void {
  const writes = waiting;
  waiting = [];
  flushing = true;
  try {
    for (const write of writes) write();
  } finally {
    flushing = false;
  }
}

function atTurnEnd(socket: Socket, write: () => void): void {
  const guarded = () => {
    try {
      write();
    } catch (err) {
      socket.destroy(err as Error);
    }
  };
  if (flushing) guarded();
  else if (waiting.push(guarded) === 1) setImmediate(flush);
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
 * kernel buffer is full), so `res.end()`, Fastify's reply and its hooks behave exactly as before,
 * and a response's `finish` (and with it the onResponse hook) comes once its bytes are written.
 * A write waits for the rest of its turn (the requests read with it) only. `_write` and `_writev`
 * are the stream's own extension points (node:stream, "implementing a writable stream").
 */
export function writeAtTurnEnd(socket: Socket): void {
  const writev = socket._writev;
  const write = socket._write;
  if (writev) {
    socket._writev = function (this: Socket, chunks: { chunk: unknown; encoding: BufferEncoding }[], callback: Callback) {
      atTurnEnd(this, () => writev.call(this, chunks, callback));
    };
  }
  socket._write = function (this: Socket, chunk: unknown, encoding: BufferEncoding, callback: Callback) {
    atTurnEnd(this, () => write.call(this, chunk, encoding, callback));
  };
}

/** Every connection of the API's server writes at the end of its turn (see writeAtTurnEnd). */
export const writeBatchPlugin = fp(
  async (app) => {
    app.server.on("connection", writeAtTurnEnd);
  },
  { name: "keyservice-write-batch" },
);
