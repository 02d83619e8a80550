import { hash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import type { CredentialKind } from "../db/tables/credentials.table";

export const TOKEN_PREFIX: Record<CredentialKind, string> = {
  global: "ks_gak_",
  platform: "ks_pak_",
  deployment: "ks_dk_",
  user: "ks_usr_",
  platform_admin: "ks_adm_",
  impersonation: "ks_imp_",
};
const PREFIXES = Object.entries(TOKEN_PREFIX) as [CredentialKind, string][];
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 43 base62 characters carry 256.1 bits. */
const RANDOM_CHARS = 43;
/** CRC32 of the random part, in 6 base62 characters (62^6 > 2^32). */
const CHECKSUM_CHARS = 6;
const BASE62 = /^[0-9A-Za-z]+$/;
/** No token of ours is longer: anything longer is malformed before it is hashed. */
export const MAX_TOKEN_LENGTH = Math.max(...PREFIXES.map(([, prefix]) => prefix.length)) + RANDOM_CHARS + CHECKSUM_CHARS;

function base62(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++, n = Math.floor(n / 62)) out = ALPHABET[n % 62] + out;
  return out;
}

function checksumOf(random: string): string {
  return base62(crc32(random), CHECKSUM_CHARS);
}

/**
 * A new secret: its kind's prefix, 43 base62 characters from the OS CSPRNG (rejection-sampled,
 * unbiased), then a 6-character CRC32 of them, so a mistyped or made-up token is refused before
 * any lookup and secret scanners can check a match without false positives.
 */
export function newToken(kind: CredentialKind): string {
  let random = "";
  while (random.length < RANDOM_CHARS) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && random.length < RANDOM_CHARS) random += ALPHABET[byte % 62];
    }
  }
  return TOKEN_PREFIX[kind] + random + checksumOf(random);
}

/**
 * The kind a token claims by its prefix, or undefined for anything malformed: a wrong length,
 * a character outside base62, or a checksum that does not match. Tokens issued before checksums
 * (43 characters after the prefix) are still recognised.
 */
export function tokenKind(token: string): CredentialKind | undefined {
  for (const [kind, prefix] of PREFIXES) {
    if (!token.startsWith(prefix)) continue;
    const rest = token.slice(prefix.length);
    if (!BASE62.test(rest)) return undefined;
    if (rest.length === RANDOM_CHARS) return kind;
    if (rest.length !== RANDOM_CHARS + CHECKSUM_CHARS) return undefined;
    return checksumOf(rest.slice(0, RANDOM_CHARS)) === rest.slice(RANDOM_CHARS) ? kind : undefined;
  }
  return undefined;
}

/** What the store keeps instead of the secret. 256-bit random tokens need no slow hash: SHA-256 is a safe index. */
export function digestToken(token: string): string {
  return hash("sha256", token, "hex");
}

/** The same digest as 32 raw bytes in a latin1 string: the in-process cache's key, half the size of hex. */
export function rawDigest(token: string): string {
  return hash("sha256", token, "binary");
}

/** A display hint that reveals only the last 4 characters. */
export function hintFor(secret: string, prefix = ""): string {
  return `${prefix}...${secret.slice(-4)}`;
}

export function tokenHint(token: string): string {
  const kind = tokenKind(token);
  return hintFor(token, kind ? TOKEN_PREFIX[kind] : "");
}
