import { createHash } from "node:crypto";

/**
 * The Idempotency-Key of every create and rotate the provider sends, derived from the resource and
 * the operation so that the client's retries never mint a second secret. Kept in one place: how
 * keys converge after a crash is decided here and nowhere else.
 */
function idempotencyKey(text: string): string {
  return "pulumi-" + createHash("sha256").update(text).digest("hex").slice(0, 48);
}

/**
 * Creating a key or member of a kind for the stack resource that manages it: the same on every
 * plan, so the next `pulumi up` after a create whose answer was lost (a reset connection, a
 * killed engine or service) replays that create instead of minting a second key. The service
 * replays only a secret that still works, to the same caller; anything else runs anew. State
 * written before `managedBy` existed keeps the per-plan key (name and rotation anchor).
 */
export function createKey(kind: string, org: string, resource: { name: string; rotationAnchor: string; managedBy?: string }): string {
  if (resource.managedBy) return managedCreateKey(kind, org, resource.managedBy);
  return idempotencyKey(`create:${kind}:${org}:${resource.name}:${resource.rotationAnchor}`);
}

function managedCreateKey(scope: string, org: string, managedBy: string): string {
  return idempotencyKey(`create:${scope}:${org}:managed-by:${managedBy}`);
}

/**
 * Creating a deployment for the stack resource that manages it, as createKey for keys. None for
 * state written before `managedBy` existed: those creates were never keyed.
 */
export function createDeploymentKey(org: string, resource: { managedBy?: string }): string | undefined {
  return resource.managedBy ? managedCreateKey("deployment", org, resource.managedBy) : undefined;
}

/**
 * Creating an LLM key for the stack resource that manages it, and for its provider: a new
 * provider replaces the key (delete, then create), and that create is a new request.
 */
export function createLlmKeyKey(org: string, resource: { provider: string; managedBy?: string }): string | undefined {
  return resource.managedBy ? managedCreateKey(`llm-key:provider:${JSON.stringify(resource.provider)}`, org, resource.managedBy) : undefined;
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
