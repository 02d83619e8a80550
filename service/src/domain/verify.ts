import type { VerifyKeyResult } from "@keyservice/sdk";
import type { CredentialResolver } from "../auth/credential-resolver";
import type { CredentialEntry } from "../cache/entries";
import { MAX_TOKEN_LENGTH, rawDigest, tokenKind } from "../crypto/tokens";

/** Unknown, malformed, of another org or a platform admin's: the same answer, one frozen object. */
const NOT_FOUND: Readonly<VerifyKeyResult> = Object.freeze({ valid: false, code: "NOT_FOUND" });

/**
 * Says whether a key of this org is usable, without using it, from the same cache as
 * authentication (so it is as fresh as execute). Keys of other orgs are simply NOT_FOUND.
 */
export async function verifyKey(resolver: CredentialResolver, orgId: string, key: string, now = Date.now()): Promise<Readonly<VerifyKeyResult>> {
  if (key.length > MAX_TOKEN_LENGTH) return NOT_FOUND;
  const digest = rawDigest(key);
  // A key the cache holds is well formed; any other is checked for its shape before a lookup.
  let entry = resolver.cachedCredential(digest);
  if (!entry) {
    if (!tokenKind(key)) return NOT_FOUND;
    entry = await resolver.credential(digest);
  }
  if (!entry || entry.orgId !== orgId || entry.kind === "platform_admin") return NOT_FOUND;
  const code = codeOf(entry, now);
  return { valid: code === "VALID", code, kind: entry.kind, keyId: entry.ownerId };
}

/** Whether an org's credential works now, and if not why: its own grace, then its key's state and expiry. */
function codeOf(entry: CredentialEntry, now: number): "VALID" | "EXPIRED" | "DISABLED" {
  if (entry.credentialExpiresAt !== null && entry.credentialExpiresAt <= now) return "EXPIRED";
  if (entry.kind === "global" || entry.kind === "platform") {
    if (!entry.isActive) return "DISABLED";
    if (entry.keyExpiresAt !== null && entry.keyExpiresAt <= now) return "EXPIRED";
  } else if (entry.kind === "deployment" && !entry.deploymentActive) {
    return "DISABLED";
  }
  return "VALID";
}
