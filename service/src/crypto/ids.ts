import { randomBytes } from "node:crypto";

let last = { ms: 0, seq: 0 };

/**
 * A UUIDv7: 48 bits of milliseconds, a 12-bit counter, then randomness, so ids sort by creation
 * (within this process, even inside one millisecond) and serve as cursors.
 */
export function newId(now = Date.now()): string {
  let ms = now;
  let seq = 0;
  // Same millisecond (or a clock or caller behind the last id): count up so order still holds (RFC 9562 §6.2).
  if (ms <= last.ms) {
    ms = last.ms;
    seq = last.seq + 1;
    if (seq > 0xfff) {
      ms += 1;
      seq = 0;
    }
  }
  last = { ms, seq };
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (seq >> 8);
  bytes[7] = seq & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
