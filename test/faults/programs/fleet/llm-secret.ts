import { createHash } from "node:crypto";

/**
 * The fleet's fake LLM provider secret of a generation, derived from the stack's secret seed: the
 * program sets it, the test derives the same to search for it (SecretLedger) and to verify it.
 */
export function fleetLlmSecret(seed: string, generation: string): string {
  return `sk-fleet-${createHash("sha256").update(`${seed}:${generation}`).digest("hex").slice(0, 40)}`;
}
