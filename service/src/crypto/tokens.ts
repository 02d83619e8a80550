import { createHash, randomBytes } from "node:crypto";
import type { CredentialKind } from "../db/tables/credentials.table";

const PREFIX: Record<CredentialKind, string> = { global: "ks_gak_", platform: "ks_pak_", deployment: "ks_dk_", user: "ks_usr_" };
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 43 base62 characters carry 256.1 bits. */
const TOKEN_CHARS = 43;

/** A new secret: its kind's prefix, then 43 base62 characters from the OS CSPRNG (rejection-sampled, unbiased). */
export function newToken(kind: CredentialKind): string {
  let out = "";
  while (out.length < TOKEN_CHARS) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && out.length < TOKEN_CHARS) out += ALPHABET[byte % 62];
    }
  }
  return PREFIX[kind] + out;
}

/** The kind a token claims by its prefix, or undefined for anything malformed. */
export function tokenKind(token: string): CredentialKind | undefined {
  for (const [kind, prefix] of Object.entries(PREFIX) as [CredentialKind, string][]) {
    if (token.startsWith(prefix) && token.length === prefix.length + TOKEN_CHARS && /^[0-9A-Za-z]+$/.test(token.slice(prefix.length))) {
      return kind;
    }
  }
  return undefined;
}

/** What the store keeps instead of the secret. 256-bit random tokens need no slow hash: SHA-256 is a safe index. */
export function digestToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A display hint that reveals only the last 4 characters. */
export function hintFor(secret: string, prefix = ""): string {
  return `${prefix}...${secret.slice(-4)}`;
}

export function tokenHint(token: string): string {
  const kind = tokenKind(token);
  return hintFor(token, kind ? PREFIX[kind] : "");
}
