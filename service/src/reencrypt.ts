import { type Kysely, sql, type Transaction } from "kysely";
import { Keyring, UndecryptableError } from "./crypto/keyring";
import type { Database } from "./db/database";
import { writeAudit } from "./domain/audit";
import { idempotencyAssociatedData, idempotencyFingerprintAssociatedData } from "./domain/idempotency";
import { llmKeyAssociatedData } from "./domain/llm-keys";

type Store = Kysely<Database>; // the store's query builder

type Trx = Transaction<Database>;

/** How many values of one kind were re-sealed, already under the primary key, or opened by no master key. */
export interface ReencryptCounts {
  moved: number;
  current: number;
  undecryptable: number;
  /** Rows that kept changing under a concurrent writer; a second run picks them up. */
  skipped: number;
}

/** What `keyservice reencrypt` prints, as one JSON line. */
export interface ReencryptSummary extends ReencryptCounts {
  primaryKeyId: string;
  llmKeys: ReencryptCounts;
  idempotencyRecords: ReencryptCounts;
  /** The requests' fingerprints of the same records, sealed beside their responses. */
  idempotencyFingerprints: ReencryptCounts;
}

interface SealedRow {
  id: string;
  orgId: string;
  sealed: string;
}

/** One table holding sealed values, and how its values are bound. */
interface SealedValues {
  /** Rows with a sealed value after `afterId`, in id order. */
  page(store: Store, afterId: string | undefined, limit: number): Promise<SealedRow[]>;
  /** The row as it is now, or undefined once it is gone. */
  reload(store: Store, id: string): Promise<SealedRow | undefined>;
  /** Writes `next` only where the row still holds `previous`; true when it did. */
  swap(trx: Trx, id: string, previous: string, next: string): Promise<boolean>;
  associatedData(row: SealedRow): string;
}

const llmKeys: SealedValues = {
  async page(store, afterId, limit) {
    let q = store.selectFrom("llmKeys").select(["id", "orgId", "sealedKey as sealed"]);
    if (afterId) q = q.where("id", ">", afterId);
    return q.orderBy("id").limit(limit).execute();
  },
  reload: (store, id) => store.selectFrom("llmKeys").select(["id", "orgId", "sealedKey as sealed"]).where("id", "=", id).executeTakeFirst(),
  async swap(trx, id, previous, next) {
    const result = await trx.updateTable("llmKeys").set({ sealedKey: next }).where("id", "=", id).where("sealedKey", "=", previous).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
  associatedData: (row) => llmKeyAssociatedData(row.orgId, row.id),
};

const idempotencyRecords: SealedValues = {
  async page(store, afterId, limit) {
    let q = store.selectFrom("idempotencyRecords").select(["id", "orgId", "sealedResponse"]);
    if (afterId) q = q.where("id", ">", afterId);
    const rows = await q.orderBy("id").limit(limit).execute();
    return rows.map((r) => ({ id: r.id, orgId: r.orgId, sealed: r.sealedResponse }));
  },
  async reload(store, id) {
    const r = await store.selectFrom("idempotencyRecords").select(["id", "orgId", "sealedResponse"]).where("id", "=", id).executeTakeFirst();
    return r && { id: r.id, orgId: r.orgId, sealed: r.sealedResponse };
  },
  async swap(trx, id, previous, next) {
    const result = await trx
      .updateTable("idempotencyRecords")
      .set({ sealedResponse: next })
      .where("id", "=", id)
      .where("sealedResponse", "=", previous)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
  associatedData: (row) => idempotencyAssociatedData(row.orgId, row.id),
};

/** Idempotency records' sealed request fingerprints (not those of records written before they were sealed: a plain 64-hex digest). */
const idempotencyFingerprints: SealedValues = {
  async page(store, afterId, limit) {
    let q = store.selectFrom("idempotencyRecords").select(["id", "orgId", "fingerprint as sealed"]).where(sql<number>`length(fingerprint)`, ">", 64);
    if (afterId) q = q.where("id", ">", afterId);
    return q.orderBy("id").limit(limit).execute();
  },
  reload: (store, id) => store.selectFrom("idempotencyRecords").select(["id", "orgId", "fingerprint as sealed"]).where("id", "=", id).executeTakeFirst(),
  async swap(trx, id, previous, next) {
    const result = await trx.updateTable("idempotencyRecords").set({ fingerprint: next }).where("id", "=", id).where("fingerprint", "=", previous).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
  associatedData: (row) => idempotencyFingerprintAssociatedData(row.orgId, row.id),
};

const BATCH = 200;
const MAX_ATTEMPTS = 5;
export const REENCRYPT_ACTOR = "cli:reencrypt";

type Outcome = keyof ReencryptCounts | "gone";

class Run {
  /** Orgs that already have this run's audit event. */
  private readonly audited = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
  ) {}

  async table(values: SealedValues): Promise<ReencryptCounts> {
    const counts: ReencryptCounts = { moved: 0, current: 0, undecryptable: 0, skipped: 0 };
    for (let afterId: string | undefined; ; ) {
      const rows = await values.page(this.store, afterId, BATCH);
      if (rows.length === 0) return counts;
      afterId = rows[rows.length - 1].id;
      for (const row of rows) {
        const outcome = await this.row(values, row);
        if (outcome !== "gone") counts[outcome]++;
      }
    }
  }

  /** Re-seals one value in its own transaction; a compare-and-set keeps a concurrent write instead of overwriting it. */
  private async row(values: SealedValues, first: SealedRow): Promise<Outcome> {
    let row: SealedRow | undefined = first;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const associatedData = values.associatedData(row);
      let plaintext: string;
      try {
        // Opened even when already current, so the summary's undecryptable count is true.
        plaintext = this.keyring.open(row.sealed, associatedData);
      } catch (err) {
        if (err instanceof UndecryptableError) return "undecryptable";
        throw err;
      }
      if (Keyring.sealedWith(row.sealed) === this.keyring.primaryId) return "current";
      const next = this.keyring.seal(plaintext, associatedData);
      const { id, orgId, sealed } = row;
      const swapped = await this.store.transaction().execute(async (trx) => {
        if (!(await values.swap(trx, id, sealed, next))) return false;
        // The org's event commits with its first moved value, so an interrupted run is audited too.
        if (!this.audited.has(orgId)) {
          await writeAudit(trx, orgId, REENCRYPT_ACTOR, { action: "master_key.reencrypt", target: `master_key:${this.keyring.primaryId}` });
        }
        return true;
      });
      if (swapped) {
        this.audited.add(orgId);
        return "moved";
      }
      row = await values.reload(this.store, id);
      if (!row) return "gone";
    }
    return "skipped";
  }
}

/**
 * Moves every sealed value (LLM keys, idempotent replays and their requests' fingerprints) to the
 * keyring's primary master key, row by row. Safe to interrupt and run again: rows already under the primary key are left
 * alone, and rows no master key opens are counted and left as they are.
 */
export async function reencryptAll(store: Store, keyring: Keyring): Promise<ReencryptSummary> {
  const run = new Run(store, keyring);
  const llm = await run.table(llmKeys);
  const replays = await run.table(idempotencyRecords);
  const fingerprints = await run.table(idempotencyFingerprints);
  const total = (k: keyof ReencryptCounts) => llm[k] + replays[k] + fingerprints[k];
  return {
    primaryKeyId: keyring.primaryId,
    moved: total("moved"),
    current: total("current"),
    undecryptable: total("undecryptable"),
    skipped: total("skipped"),
    llmKeys: llm,
    idempotencyRecords: replays,
    idempotencyFingerprints: fingerprints,
  };
}
