import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
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

/** The tables with sealed columns; each row has an `id` and an `orgId`, bound into its values. */
type SealedTable = "llmKeys" | "idempotencyRecords";

/**
 * One sealed column of a table. The table and column are named by the caller from the schema's
 * own names; the queries go through an untyped view of the store, since Kysely cannot type a
 * column chosen by a parameter. `sealedOnly` keeps rows whose value is not sealed out of the run.
 */
function sealedColumn<T extends SealedTable>(table: T, column: keyof Database[T] & string, associatedData: (orgId: string, id: string) => string, sealedOnly?: RawBuilder<boolean>): SealedValues {
  const name: string = table;
  const field: string = column;
  const sealed = `${field} as sealed`;
  const rows = (store: Kysely<any>) => store.selectFrom(name).select(["id", "orgId", sealed]);
  return {
    async page(store, afterId, limit) {
      let q = rows(store);
      if (sealedOnly) q = q.where(sealedOnly);
      if (afterId) q = q.where("id", ">", afterId);
      return (await q.orderBy("id").limit(limit).execute()) as SealedRow[];
    },
    reload: async (store, id) => {
      let q = rows(store).where("id", "=", id);
      if (sealedOnly) q = q.where(sealedOnly);
      return (await q.executeTakeFirst()) as SealedRow | undefined;
    },
    async swap(trx, id, previous, next) {
      const result = await (trx as Transaction<any>).updateTable(name).set({ [field]: next }).where("id", "=", id).where(field, "=", previous).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    associatedData: (row) => associatedData(row.orgId, row.id),
  };
}

const llmKeys = sealedColumn("llmKeys", "sealedKey", llmKeyAssociatedData);
// A create's record past its 24 h keeps no answer (an empty column): nothing to re-seal there.
const idempotencyRecords = sealedColumn("idempotencyRecords", "sealedResponse", idempotencyAssociatedData, sql<boolean>`length(sealed_response) > 0`);
/** The requests' fingerprints, but those of records written before they were sealed (a plain 64-hex digest). */
const idempotencyFingerprints = sealedColumn("idempotencyRecords", "fingerprint", idempotencyFingerprintAssociatedData, sql<boolean>`length(fingerprint) > 64`);

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
