import type { SecretLedger } from "./secrets";
import type { TestService } from "./service";
import type { TestDatabase } from "./store";

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

/**
 * Where a database holds any secret of the ledger in plaintext: its files (SQLite, WAL, key file)
 * and every value it stores (PostgreSQL keeps none of them in the temp dir). Empty when clean.
 */
export async function secretsInDatabase(ledger: SecretLedger, db: TestDatabase): Promise<string[]> {
  const hits = ledger.foundInFiles(db.dir).map((hit) => `${hit.file}: ${hit.secrets.length} secret(s)`);
  const stored = ledger.foundIn(await db.dumpText());
  if (stored.length > 0) hits.push(`${db.kind} database: ${stored.length} secret(s)`);
  return hits;
}

/**
 * `expectNoSecretsIn` for a service: its files, its logs and every value its database stores, on
 * either store; `extra` adds more places to search (a backend dir, a transcript).
 */
export async function expectNoSecretsInService(
  ledger: SecretLedger,
  svc: Pick<TestService, "dir" | "db" | "logs">,
  extra: { dirs?: string[]; texts?: Record<string, string> } = {},
): Promise<void> {
  const database = await svc.db.dumpText();
  expectNoSecretsIn(ledger, { dirs: [svc.dir, ...(extra.dirs ?? [])], texts: { logs: svc.logs(), database, ...extra.texts } });
}
