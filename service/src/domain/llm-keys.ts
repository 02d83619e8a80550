import { createHash, timingSafeEqual } from "node:crypto";
import { ApiError, type CreateLlmKeyRequest, type LlmKey, type UpdateLlmKeyRequest, type VerifyLlmKeyResult } from "@keyservice/sdk";
import type { z } from "zod";
import { newId } from "../crypto/ids";
import { type Keyring, UndecryptableError } from "../crypto/keyring";
import { hintFor } from "../crypto/tokens";
import { isUniqueViolation } from "../db/errors";
import type { LlmKeyRow, LlmKeyUpdate } from "../db/tables/llm-keys.table";
import type { Db, Tx } from "../db/writer";
import { writeAudit } from "./audit";
import type { Caller } from "./caller";
import { iso } from "../time";
import { inOrg } from "./org-rows";
import { mapPage } from "./pagination";

type CreateInput = z.output<typeof CreateLlmKeyRequest>;
type UpdateInput = z.output<typeof UpdateLlmKeyRequest>;
type LlmKeyStatus = LlmKey["status"];

/** Secrets shorter than this get a hint that shows none of them: 4 characters of a 6-character key is most of it. */
const MIN_LENGTH_FOR_VISIBLE_HINT = 12;

/**
 * What a sealed LLM key is bound to (AES-GCM associated data): the same ciphertext copied to
 * another row or another org no longer opens.
 */
export function llmKeyAssociatedData(orgId: string, id: string): string {
  return `llm-key:${orgId}:${id}`;
}

/** The hint shown for a secret: its last 4 characters, or nothing at all for a short one. */
export function llmKeyHint(apiKey: string): string {
  return apiKey.length >= MIN_LENGTH_FOR_VISIBLE_HINT ? hintFor(apiKey) : hintFor("");
}

// Whether a value opens is fixed for a given keyring, value and binding, so lists decrypt each value once per process.
const opensMemo = new WeakMap<Keyring, Map<string, boolean>>();
const OPENS_MEMO_LIMIT = 10_000;

function opens(keyring: Keyring, sealed: string, associatedData: string): boolean {
  let memo = opensMemo.get(keyring);
  if (!memo) opensMemo.set(keyring, (memo = new Map()));
  const key = createHash("sha256").update(associatedData).update("\n").update(sealed).digest("base64url");
  const known = memo.get(key);
  if (known !== undefined) return known;
  let ok = true;
  try {
    keyring.open(sealed, associatedData);
  } catch (err) {
    if (!(err instanceof UndecryptableError)) throw err;
    ok = false;
  }
  if (memo.size >= OPENS_MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(key, ok);
  return ok;
}

/** Whether the configured master keys can open a row's secret. */
export function statusOf(keyring: Keyring, row: LlmKeyRow): LlmKeyStatus {
  return opens(keyring, row.sealedKey, llmKeyAssociatedData(row.orgId, row.id)) ? "active" : "undecryptable";
}

/** A row as the API shows it: a hint, never the secret or its ciphertext. */
export function toLlmKey(row: LlmKeyRow, status: LlmKeyStatus): LlmKey {
  return {
    id: row.id,
    provider: row.provider,
    label: row.label,
    keyHint: row.keyHint,
    version: Number(row.version),
    status,
    createdAt: iso(Number(row.createdAt)),
    updatedAt: iso(Number(row.updatedAt)),
    rotatedAt: row.rotatedAt === null ? null : iso(Number(row.rotatedAt)),
  };
}

const llmKeys = inOrg((db, orgId) => db.selectFrom("llmKeys").selectAll().where("orgId", "=", orgId), "LLM key", (row): LlmKeyRow => row);

/** The org's key with this id, or a 404 naming the id. */
export const findLlmKey = llmKeys.find;

/** One key as the API shows it, with its status (whether the configured master keys open it). */
export async function getLlmKey(db: Db, keyring: Keyring, orgId: string, id: string): Promise<LlmKey> {
  const row = await findLlmKey(db, orgId, id);
  return toLlmKey(row, statusOf(keyring, row));
}

/** A page of the org's keys in creation order, each with its status. */
export async function listLlmKeys(db: Db, keyring: Keyring, orgId: string, limit: number, cursor?: string) {
  return mapPage(await llmKeys.list(db, orgId, limit, cursor), (row) => toLlmKey(row, statusOf(keyring, row)));
}

function conflictOnProvider(err: unknown, provider: string): never {
  if (isUniqueViolation(err)) {
    throw new ApiError("conflict", `An LLM key for provider "${provider}" already exists in this org; replace its secret with PATCH instead.`);
  }
  throw err;
}

/** Stores a provider key sealed with the primary master key; one per (org, provider), as the table's unique constraint says. */
export async function createLlmKey(tx: Tx, keyring: Keyring, orgId: string, caller: Caller, input: CreateInput): Promise<LlmKey> {
  const now = Date.now();
  const id = newId(now);
  const row: LlmKeyRow = {
    id,
    orgId,
    provider: input.provider,
    label: input.label,
    keyHint: llmKeyHint(input.apiKey),
    sealedKey: keyring.seal(input.apiKey, llmKeyAssociatedData(orgId, id)),
    version: 1,
    createdAt: now,
    updatedAt: now,
    rotatedAt: null,
  };
  try {
    await tx.db.insertInto("llmKeys").values(row).execute();
  } catch (err) {
    conflictOnProvider(err, input.provider);
  }
  await writeAudit(tx.db, orgId, caller, { action: "llm_key.create", target: id });
  return toLlmKey(row, "active");
}

/** Relabels a key, or replaces its secret in place: same id, version + 1, a new hint. */
export async function updateLlmKey(tx: Tx, keyring: Keyring, orgId: string, caller: Caller, id: string, patch: UpdateInput): Promise<LlmKey> {
  const row = await findLlmKey(tx.db, orgId, id);
  const now = Date.now();
  const set: LlmKeyUpdate = { updatedAt: now };
  if (patch.label !== undefined) set.label = patch.label;
  if (patch.apiKey !== undefined) {
    set.rotatedAt = now;
    set.sealedKey = keyring.seal(patch.apiKey, llmKeyAssociatedData(orgId, id));
    set.keyHint = llmKeyHint(patch.apiKey);
    set.version = Number(row.version) + 1;
  }
  await tx.db.updateTable("llmKeys").set(set).where("id", "=", id).where("orgId", "=", orgId).execute();
  await writeAudit(tx.db, orgId, caller, { action: patch.apiKey !== undefined ? "llm_key.rotate" : "llm_key.update", target: id });
  const updated = await findLlmKey(tx.db, orgId, id);
  return toLlmKey(updated, statusOf(keyring, updated));
}

/** Deletes a key and its sealed secret. */
export async function deleteLlmKey(tx: Tx, orgId: string, caller: Caller, id: string): Promise<void> {
  await findLlmKey(tx.db, orgId, id);
  await tx.db.deleteFrom("llmKeys").where("id", "=", id).where("orgId", "=", orgId).execute();
  await writeAudit(tx.db, orgId, caller, { action: "llm_key.delete", target: id });
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * Compares a value with the stored secret in constant time (SHA-256 digests of both, so the
 * comparison never depends on either length). A secret no master key opens is a 409, not a `false`.
 */
export async function verifyLlmKey(db: Db, keyring: Keyring, orgId: string, id: string, apiKey: string): Promise<VerifyLlmKeyResult> {
  const row = await findLlmKey(db, orgId, id);
  let stored: string;
  try {
    stored = keyring.open(row.sealedKey, llmKeyAssociatedData(orgId, id));
  } catch (err) {
    if (!(err instanceof UndecryptableError)) throw err;
    throw new ApiError(
      "conflict",
      `The stored secret of LLM key "${id}" cannot be decrypted with the configured master keys: configure the master key that sealed it, or set a new apiKey with PATCH.`,
    );
  }
  return { matches: timingSafeEqual(sha256(stored), sha256(apiKey)) };
}
