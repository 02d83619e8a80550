import fs from "node:fs";
import path from "node:path";

/**
 * Every secret a test saw. At the end, files (databases, WAL, logs, state) and transcripts are
 * searched for each of them: none may appear in plaintext.
 */
export class SecretLedger {
  private readonly secrets = new Set<string>();

  add<T extends string | undefined>(secret: T): T {
    if (secret) this.secrets.add(secret);
    return secret;
  }

  get size(): number {
    return this.secrets.size;
  }

  /** Every secret recorded, for checks that need to derive something from each (their digests). */
  all(): string[] {
    return [...this.secrets];
  }

  /** The secrets found in a text (empty when clean). */
  foundIn(text: string): string[] {
    return [...this.secrets].filter((s) => text.includes(s));
  }

  /** The text with every secret recorded replaced by a mark: for messages a failing test prints. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("<secret>");
    return out;
  }

  /** The files under a path (recursively) that contain any secret, with what they contain. */
  foundInFiles(root: string): { file: string; secrets: string[] }[] {
    const hits: { file: string; secrets: string[] }[] = [];
    for (const file of walk(root)) {
      const text = fs.readFileSync(file).toString("latin1");
      const found = this.foundIn(text);
      if (found.length > 0) hits.push({ file, secrets: found });
    }
    return hits;
  }
}

function* walk(p: string): Generator<string> {
  if (!fs.existsSync(p)) return;
  const stat = fs.statSync(p);
  if (stat.isFile()) {
    yield p;
    return;
  }
  for (const entry of fs.readdirSync(p)) yield* walk(path.join(p, entry));
}
