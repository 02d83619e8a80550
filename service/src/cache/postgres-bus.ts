import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { type Kysely, sql, type Transaction } from "kysely";
import { Client } from "pg";
import type { Database } from "../db/database";
import type { AuthCache } from "./auth-cache";
import type { InvalidationBus, Publication } from "./bus";
import { tag } from "./entries";

export const CHANNEL = "keyservice_invalidation";

/** Messages on the channel: a ping, an invalidation, an acknowledgement, a goodbye. */
type Message =
  | { k: "p"; i: string; s: number }
  | { k: "i"; i: string; n: string; t: readonly string[] }
  | { k: "a"; i: string; n: string; w: string }
  | { k: "b"; i: string };

// NOTIFY payloads stop at 8000 bytes: a larger invalidation is sent as "evict everything".
const MAX_PAYLOAD = 7000;

export interface BusLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PostgresBusOptions {
  /** How often each instance pings itself through the channel. */
  pingIntervalMs?: number;
  /** How long a ping keeps this instance's cache trusted; also the longest a write waits for peers. */
  leaseMs?: number;
}

interface Waiter {
  acked: Set<string>;
  /** The peers still to acknowledge, known once the write's own message came back. */
  pending?: Set<string>;
  done(): void;
  confirmed: Promise<void>;
}

/**
 * The invalidation bus across instances sharing one PostgreSQL database, over LISTEN/NOTIFY.
 *
 * - A write's NOTIFY is part of its transaction. After the commit the writer waits for its own
 *   message to come back (PostgreSQL delivers notifications in commit order, so by then it has
 *   heard every instance that pinged before the write), then for an acknowledgement from each of
 *   those instances, which each send only after evicting.
 * - Each instance trusts its cache only within `leaseMs` of the send time of a ping that came back
 *   to it. An instance that has not evicted within `leaseMs` of the commit therefore no longer
 *   trusts its cache, so a write that waited that long is safe even if an ack never came.
 * - A lost listener connection distrusts and flushes the cache (missed notifications are gone for
 *   good) until it is back and a ping has come round again.
 */
export class PostgresBus implements InvalidationBus {
  readonly id = randomUUID();
  private readonly pingIntervalMs: number;
  private readonly leaseMs: number;
  private listener?: Client;
  private connected = false;
  private stopping = false;
  private leaseFrom = Number.NEGATIVE_INFINITY;
  private pingSeq = 0;
  private readonly pingsSent = new Map<number, number>();
  private readonly peers = new Map<string, number>();
  private readonly waiters = new Map<string, Waiter>();
  private pinger?: NodeJS.Timeout;
  private reconnectDelayMs = 100;

  constructor(
    private readonly url: string,
    private readonly db: Kysely<Database>,
    private readonly cache: AuthCache,
    private readonly log: BusLog,
    options: PostgresBusOptions = {},
  ) {
    this.pingIntervalMs = options.pingIntervalMs ?? 200;
    this.leaseMs = options.leaseMs ?? 1000;
  }

  trusted(): boolean {
    return this.connected && performance.now() - this.leaseFrom < this.leaseMs;
  }

  async start(): Promise<void> {
    await this.connect();
    this.pinger = setInterval(() => void this.ping(), this.pingIntervalMs);
    this.pinger.unref();
    void this.ping();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pinger);
    // Peers stop waiting for this instance's acknowledgements at once.
    await this.send(this.db, { k: "b", i: this.id }).catch(() => {});
    const listener = this.listener;
    this.listener = undefined;
    this.connected = false;
    await listener?.end().catch(() => {});
  }

  async publish(trx: Transaction<Database>, tags: readonly string[]): Promise<Publication> {
    const nonce = randomUUID();
    // Registered before the commit: the echo and the acks may arrive before COMMIT's own reply.
    let done!: () => void;
    const confirmed = new Promise<void>((resolve) => (done = resolve));
    this.waiters.set(nonce, { acked: new Set(), done, confirmed });
    let message: Message = { k: "i", i: this.id, n: nonce, t: tags };
    if (JSON.stringify(message).length > MAX_PAYLOAD) message = { k: "i", i: this.id, n: nonce, t: [tag.all] };
    await this.send(trx, message);
    return { tags, nonce };
  }

  discard({ tags, nonce }: Publication): void {
    this.cache.invalidate(tags);
    if (nonce) this.waiters.delete(nonce);
  }

  async settle({ tags, nonce }: Publication): Promise<boolean> {
    const deadline = performance.now() + this.leaseMs;
    this.cache.invalidate(tags);
    const waiter = nonce ? this.waiters.get(nonce) : undefined;
    if (!waiter) return true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = await Promise.race([
        waiter.confirmed.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, deadline - performance.now())))),
      ]);
      if (timedOut) {
        // Safe all the same: an instance that has not evicted by now has stopped trusting its cache.
        this.log.warn({ pending: waiter.pending ? [...waiter.pending] : "own message not seen", leaseMs: this.leaseMs }, "cache invalidation not confirmed by every instance within the lease");
      }
      return !timedOut;
    } finally {
      clearTimeout(timer);
      this.waiters.delete(nonce!);
    }
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000, application_name: "keyservice-listener" });
    client.on("notification", (msg) => {
      if (msg.channel === CHANNEL && msg.payload) this.receive(msg.payload);
    });
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
    // Whatever was published while no listener was connected is lost: start from nothing.
    this.cache.flush();
    this.connected = true;
    this.reconnectDelayMs = 100;
  }

  private lost(client: Client, err?: Error): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.connected = false;
    this.leaseFrom = Number.NEGATIVE_INFINITY;
    this.cache.flush();
    client.end().catch(() => {});
    if (this.stopping) return;
    this.log.warn({ err: err?.message }, "cache invalidation listener lost; serving from the store until it is back");
    this.reconnect();
  }

  private reconnect(): void {
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 2000);
    const timer = setTimeout(() => {
      if (this.stopping) return;
      this.connect().then(
        () => this.log.info({}, "cache invalidation listener reconnected"),
        () => this.reconnect(),
      );
    }, delay);
    timer.unref();
  }

  private async ping(): Promise<void> {
    if (!this.connected) return;
    for (const [peer, seen] of this.peers) if (performance.now() - seen > 10 * this.leaseMs) this.peers.delete(peer);
    const seq = ++this.pingSeq;
    this.pingsSent.set(seq, performance.now());
    try {
      await this.send(this.db, { k: "p", i: this.id, s: seq });
    } catch {
      // The store is unreachable: no echo comes, and the lease runs out on its own.
      this.pingsSent.delete(seq);
    }
  }

  private send(db: Kysely<Database> | Transaction<Database>, message: Message): Promise<unknown> {
    return sql`select pg_notify(${CHANNEL}, ${JSON.stringify(message)})`.execute(db);
  }

  private receive(payload: string): void {
    let m: Message;
    try {
      m = JSON.parse(payload) as Message;
    } catch {
      return;
    }
    const now = performance.now();
    if (m.i !== this.id) this.peers.set(m.i, now);
    switch (m.k) {
      case "p":
        if (m.i === this.id) this.renewLease(m.s);
        return;
      case "i":
        if (m.i === this.id) return this.ownMessageBack(m.n, now);
        // Evict before acknowledging: the ack promises the entries are gone.
        this.cache.invalidate(m.t);
        void this.send(this.db, { k: "a", i: this.id, n: m.n, w: m.i }).catch(() => {});
        return;
      case "a":
        if (m.w === this.id) this.acknowledged(m.n, m.i);
        return;
      case "b":
        this.peers.delete(m.i);
        for (const waiter of this.waiters.values()) this.acknowledgedBy(waiter, m.i);
        return;
    }
  }

  private renewLease(seq: number): void {
    const sent = this.pingsSent.get(seq);
    if (sent === undefined) return;
    this.leaseFrom = Math.max(this.leaseFrom, sent);
    for (const s of this.pingsSent.keys()) if (s <= seq) this.pingsSent.delete(s);
  }

  /** Every instance that could still trust its cache has pinged within the lease, and we heard it by now. */
  private ownMessageBack(nonce: string, now: number): void {
    const waiter = this.waiters.get(nonce);
    if (!waiter) return;
    waiter.pending = new Set([...this.peers].filter(([id, seen]) => now - seen < this.leaseMs && !waiter.acked.has(id)).map(([id]) => id));
    if (waiter.pending.size === 0) waiter.done();
  }

  private acknowledged(nonce: string, peer: string): void {
    const waiter = this.waiters.get(nonce);
    if (waiter) this.acknowledgedBy(waiter, peer);
  }

  private acknowledgedBy(waiter: Waiter, peer: string): void {
    waiter.acked.add(peer);
    if (!waiter.pending) return;
    waiter.pending.delete(peer);
    if (waiter.pending.size === 0) waiter.done();
  }
}
