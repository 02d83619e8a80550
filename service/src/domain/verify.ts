import type { VerifyKeyResult } from "@keyservice/sdk";
import type { CredentialResolver } from "../auth/credential-resolver";
import { MAX_TOKEN_LENGTH, rawDigest, tokenKind } from "../crypto/tokens";

/**
 * Says whether a key of this org is usable, without using it, from the same cache as
 * authentication (so it is as fresh as execute). Keys of other orgs are simply NOT_FOUND.
 */
export async function verifyKey(resolver: CredentialResolver, orgId: string, key: string, now = Date.now()): Promise<VerifyKeyResult> {
  const notFound: VerifyKeyResult = { valid: false, code: "NOT_FOUND" };
  if (key.length > MAX_TOKEN_LENGTH) return notFound;
  const digest = rawDigest(key);
  // A key the cache holds is well formed; any other is checked for its shape before a lookup.
  let entry = resolver.cachedCredential(digest);
  if (!entry) {
    if (!tokenKind(key)) return notFound;
    entry = await resolver.credential(digest);
  }
  if (!entry || entry.orgId !== orgId || entry.kind === "platform_admin") return notFound;
  const about = { kind: entry.kind, keyId: entry.ownerId };
  if (entry.credentialExpiresAt !== null && entry.credentialExpiresAt <= now) return { valid: false, code: "EXPIRED", ...about };
  if (entry.kind === "global" || entry.kind === "platform") {
    if (!entry.isActive) return { valid: false, code: "DISABLED", ...about };
    if (entry.keyExpiresAt !== null && entry.keyExpiresAt <= now) return { valid: false, code: "EXPIRED", ...about };
  } else if (entry.kind === "deployment" && !entry.deploymentActive) {
    return { valid: false, code: "DISABLED", ...about };
  }
  return { valid: true, code: "VALID", ...about };
}
