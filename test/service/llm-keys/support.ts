import { randomBytes } from "node:crypto";
import { KeyserviceError } from "@keyservice/sdk";
import type { TestDatabase } from "../../helpers/store";

/** A master key entry for KEYSERVICE_ENCRYPTION_KEYS: `<id>:<base64 of 32 random bytes>`. */
export function masterKey(id: string): { id: string; entry: string; material: string } {
  const material = randomBytes(32).toString("base64");
  return { id, entry: `${id}:${material}`, material };
}

/** A provider-looking secret, long enough to be found by the SecretLedger and unique per call. */
export function providerSecret(prefix = "sk-test-"): string {
  return prefix + randomBytes(24).toString("hex");
}

/** The rejection of a client call, as the typed error every failed call carries. */
export async function failure(call: Promise<unknown>): Promise<KeyserviceError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof KeyserviceError) return err;
    throw err;
  }
  throw new Error("Expected the call to fail, but it succeeded.");
}

export interface LlmKeyDbRow {
  id: string;
  org_id: string;
  provider: string;
  label: string;
  key_hint: string;
  sealed_key: string;
  version: number;
}

/** The llm_keys table as stored, by id. */
export function llmKeyRows(db: TestDatabase): Promise<LlmKeyDbRow[]> {
  return db.query<LlmKeyDbRow>("SELECT id, org_id, provider, label, key_hint, sealed_key, version FROM llm_keys ORDER BY id");
}

export async function llmKeyRow(db: TestDatabase, id: string): Promise<LlmKeyDbRow | undefined> {
  return (await llmKeyRows(db)).find((r) => r.id === id);
}
