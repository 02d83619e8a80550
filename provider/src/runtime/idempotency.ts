import { createHash } from "node:crypto";

/**
 * The Idempotency-Key of every create and rotate the provider sends, derived from the resource and
 * the operation so that the client's retries never mint a second secret. Kept in one place: how
 * keys converge after a crash is decided here and nowhere else.
 */
function idempotencyKey(text: string): string {
  return "pulumi-" + createHash("sha256").update(text).digest("hex").slice(0, 48);
}

/** Creating a key or member of a kind, by name, for one planned secret (its rotation anchor). */
export function createKey(kind: string, org: string, name: string, rotationAnchor: string): string {
  return idempotencyKey(`create:${kind}:${org}:${name}:${rotationAnchor}`);
}

/** Rotating an API key away from the version the stack holds. */
export function rotateKey(id: string, fromVersion: number): string {
  return idempotencyKey(`rotate:${id}:from-v${fromVersion}`);
}

/** Adopting an existing API key: its one rotation, away from the version it had. */
export function adoptKey(id: string, fromVersion: number): string {
  return idempotencyKey(`adopt:${id}:from-v${fromVersion}`);
}

/** Rotating a member's token away from the token the stack holds (members have no version; a digest stands in for it). */
export function rotateMemberToken(id: string, fromToken: string): string {
  return idempotencyKey(`rotate-token:${id}:from-${createHash("sha256").update(fromToken).digest("hex")}`);
}
