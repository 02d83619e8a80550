import type { SecretLedger } from "./secrets";

/**
 * Fails when any secret in the ledger appears in plaintext in the files under `dirs` (database,
 * WAL, key files) or in `texts` (logs, process output). Reports only where, never the secret.
 */
export function expectNoSecretsIn(ledger: SecretLedger, { dirs = [], texts = {} }: { dirs?: string[]; texts?: Record<string, string> }): void {
  // A ledger with nothing in it would make this check pass vacuously.
  expect(ledger.size).toBeGreaterThan(0);
  const hits: string[] = [];
  for (const dir of dirs) {
    for (const hit of ledger.foundInFiles(dir)) hits.push(`${hit.file}: ${hit.secrets.length} secret(s)`);
  }
  for (const [name, text] of Object.entries(texts)) {
    const found = ledger.foundIn(text);
    if (found.length > 0) hits.push(`${name}: ${found.length} secret(s)`);
  }
  expect(hits).toEqual([]);
}
