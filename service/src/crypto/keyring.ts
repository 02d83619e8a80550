import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** Raised when no master key can open a value: wrong key, tampered data, or moved to another row. */
export class UndecryptableError extends Error {
  constructor(reason: string) {
    super(`The value cannot be decrypted: ${reason}.`);
    this.name = "UndecryptableError";
  }
}

const FORMAT = "v1";

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. The first master key seals; every key opens.
 * Sealed text: `v1.<keyId>.<nonce b64url>.<ciphertext+tag b64url>`.
 */
export class Keyring {
  constructor(readonly keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new Error("A keyring needs at least one master key.");
  }

  get primaryId(): string {
    return this.keys[0].id;
  }

  seal(plaintext: string, associatedData: string): string {
    const { id, key } = this.keys[0];
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return [FORMAT, id, nonce.toString("base64url"), body.toString("base64url")].join(".");
  }

  open(sealed: string, associatedData: string): string {
    const [format, id, nonceText, bodyText] = sealed.split(".");
    if (format !== FORMAT || !id || !nonceText || !bodyText) throw new UndecryptableError("unknown format");
    const master = this.keys.find((k) => k.id === id);
    if (!master) throw new UndecryptableError(`master key "${id}" is not configured`);
    const body = Buffer.from(bodyText, "base64url");
    if (body.length < 16) throw new UndecryptableError("truncated value");
    try {
      const decipher = createDecipheriv("aes-256-gcm", master.key, Buffer.from(nonceText, "base64url"));
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
    } catch {
      throw new UndecryptableError("authentication failed");
    }
  }

  /** The id of the master key that sealed a value, without opening it. */
  static sealedWith(sealed: string): string | undefined {
    return sealed.split(".")[1];
  }
}

/**
 * Parses `KEYSERVICE_ENCRYPTION_KEYS`: `<id>:<base64 of 32 bytes>`, comma-separated, first one
 * primary. Ids must be unique: values are found by the id that sealed them, so a second key under
 * the same id could never open what it sealed.
 */
export function parseMasterKeys(text: string): MasterKey[] {
  const keys = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const at = entry.indexOf(":");
      const id = at > 0 ? entry.slice(0, at) : "";
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        throw new Error(`KEYSERVICE_ENCRYPTION_KEYS entry ${i + 1} needs the form <id>:<base64 of 32 bytes>, with an id of letters, digits, _ or -.`);
      }
      const key = Buffer.from(entry.slice(at + 1), "base64");
      if (key.length !== 32) {
        throw new Error(`KEYSERVICE_ENCRYPTION_KEYS entry "${id}" must be 32 bytes of base64; it decodes to ${key.length} bytes.`);
      }
      return { id, key };
    });
  const seen = new Set<string>();
  for (const { id } of keys) {
    if (seen.has(id)) throw new Error(`KEYSERVICE_ENCRYPTION_KEYS lists the id "${id}" twice: give every master key its own id.`);
    seen.add(id);
  }
  return keys;
}

export interface KeyringSource {
  keyring: Keyring;
  /** Where the keys came from, for the start-up log line. */
  origin: "env" | "dev-file-created" | "dev-file";
  file?: string;
}

/**
 * The configured master keys; outside production and beside SQLite only, a development key made
 * once and kept in a file beside the database (never committed: `.keyservice/` is git-ignored).
 * A PostgreSQL database is shared by other machines: a key on one disk would leave the others
 * unable to open what it sealed, so it needs KEYSERVICE_ENCRYPTION_KEYS.
 */
export function loadKeyring(env: NodeJS.ProcessEnv, devKeyFile: string, db = ""): KeyringSource {
  const configured = env.KEYSERVICE_ENCRYPTION_KEYS?.trim();
  if (configured) return { keyring: new Keyring(parseMasterKeys(configured)), origin: "env" };
  if (env.NODE_ENV === "production") {
    throw new Error("KEYSERVICE_ENCRYPTION_KEYS is required in production: set it to <id>:<base64 of 32 bytes>.");
  }
  if (/^postgres(ql)?:\/\//i.test(db)) {
    throw new Error("KEYSERVICE_ENCRYPTION_KEYS is required with PostgreSQL (every instance must share the master keys): set it to <id>:<base64 of 32 bytes>.");
  }
  if (fs.existsSync(devKeyFile)) {
    return { keyring: new Keyring(parseMasterKeys(fs.readFileSync(devKeyFile, "utf8"))), origin: "dev-file", file: devKeyFile };
  }
  fs.mkdirSync(path.dirname(devKeyFile), { recursive: true });
  const text = `dev:${randomBytes(32).toString("base64")}\n`;
  try {
    fs.writeFileSync(devKeyFile, text, { mode: 0o600, flag: "wx" });
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return { keyring: new Keyring(parseMasterKeys(fs.readFileSync(devKeyFile, "utf8"))), origin: "dev-file", file: devKeyFile };
  }
  return { keyring: new Keyring(parseMasterKeys(text)), origin: "dev-file-created", file: devKeyFile };
}
