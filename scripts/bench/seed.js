// The bulk path the bench uses to store many keys: the rows the API writes for a global key with
// allowAllDeployments (an api_keys row and its credentials row), 1,000 per INSERT, in transactions,
// straight into the database. Minting a million keys through the API would measure the API instead.
const { newId } = require("@keyservice/service/dist/crypto/ids");
const { digestToken, newToken, tokenHint } = require("@keyservice/service/dist/crypto/tokens");

const BATCH = 1000;

/**
 * Adds `count` global keys to an org, named `seeded-<prefix>-<n>`; returns the tokens of the first
 * `keep` of them (a bench needs only some secrets, and a million strings cost memory of their own).
 */
async function seedKeys(store, orgId, count, keep, prefix, onProgress = () => {}) {
  const tokens = [];
  const now = Date.now();
  for (let done = 0; done < count; ) {
    const n = Math.min(BATCH, count - done);
    const keys = [];
    const credentials = [];
    for (let i = 0; i < n; i++) {
      const token = newToken("global");
      if (tokens.length < keep) tokens.push(token);
      const id = newId(now);
      keys.push({
        id,
        orgId,
        kind: "global",
        name: `seeded-${prefix}-${done + i}`,
        description: null,
        isActive: 1,
        allowAllDeployments: 1,
        permission: null,
        expiresAt: null,
        keyHint: tokenHint(token),
        version: 1,
        createdAt: now,
        updatedAt: now,
        rotatedAt: null,
        previousKeyExpiresAt: null,
        lastUsedAt: null,
      });
      credentials.push({ digest: digestToken(token), orgId, kind: "global", ownerId: id, expiresAt: null, createdAt: now });
    }
    await store.db.transaction().execute(async (trx) => {
      await trx.insertInto("apiKeys").values(keys).execute();
      await trx.insertInto("credentials").values(credentials).execute();
    });
    done += n;
    onProgress(done);
  }
  return tokens;
}

module.exports = { seedKeys };
