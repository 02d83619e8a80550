import { type KeyserviceClient, LlmKey } from "@keyservice/sdk";
import { expectNoSecretsInService, secretsInDatabase } from "../../helpers/leaks";
import { SecretLedger } from "../../helpers/secrets";
import { startTestService, type TestService } from "../../helpers/service";
import { createTestDatabase, type TestDatabase } from "../../helpers/store";
import { failure, llmKeyRow, llmKeyRows, masterKey, providerSecret } from "./support";

const ledger = new SecretLedger();
const k1 = masterKey("k1");
// Made here, not by the service: it is searched once more after the service has closed.
let db: TestDatabase;
let svc: TestService;
let admin: KeyserviceClient;
let other: KeyserviceClient;
let providerCount = 0;

/** A provider name no other test in this file uses (one key per org and provider). */
function provider(): string {
  return `provider-${++providerCount}`;
}

function auditFor(target: string): Promise<{ action: string; actor: string }[]> {
  return db.query("SELECT action, actor FROM audit_events WHERE target = ? ORDER BY id", target);
}

beforeAll(async () => {
  ledger.add(k1.material);
  db = await createTestDatabase();
  svc = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k1.entry }, db });
  admin = svc.client(ledger.add((await svc.bootstrap("acme")).adminToken), "acme");
  other = svc.client(ledger.add((await svc.bootstrap("globex")).adminToken), "globex");
});

afterAll(async () => {
  await svc?.close();
  try {
    // After close too: the WAL is checkpointed into the main file on the way out.
    if (db) expect(await secretsInDatabase(ledger, db)).toEqual([]);
  } finally {
    await db?.drop();
  }
});

describe("POST /api/v1/orgs/:org/llm-keys", () => {
  it("returns 201 with a hint of the last 4 characters, and never the secret or its ciphertext", async () => {
    const apiKey = ledger.add(providerSecret());
    const res = await admin.http.call("createLlmKey", { body: { provider: "openai", label: "Production", apiKey } });
    expect(Object.keys(res).sort()).toEqual(["createdAt", "id", "keyHint", "label", "provider", "rotatedAt", "status", "updatedAt", "version"]);
    expect(res).toMatchObject({ provider: "openai", label: "Production", keyHint: `...${apiKey.slice(-4)}`, version: 1, status: "active", rotatedAt: null });
    expect(JSON.stringify(res)).not.toContain(apiKey.slice(0, -4));

    const row = (await llmKeyRow(db, res.id))!;
    expect(row).toMatchObject({ provider: "openai", label: "Production", key_hint: `...${apiKey.slice(-4)}`, version: 1 });
    expect(row.sealed_key.startsWith("v1.k1.")).toBe(true);
    expect(row.sealed_key).not.toContain(apiKey);
    expect(JSON.stringify(res)).not.toContain(row.sealed_key.split(".")[3]);
    expect(await auditFor(res.id)).toEqual([{ action: "llm_key.create", actor: expect.stringMatching(/^user:/) }]);
  });

  it("seals the same secret differently each time (a fresh nonce per value)", async () => {
    const apiKey = ledger.add(providerSecret());
    const a = await admin.llmKeys.create({ provider: provider(), label: "a", apiKey });
    const b = await admin.llmKeys.create({ provider: provider(), label: "b", apiKey });
    const [sa, sb] = [(await llmKeyRow(db, a.id))!.sealed_key, (await llmKeyRow(db, b.id))!.sealed_key];
    expect(sa.split(".")[2]).not.toEqual(sb.split(".")[2]);
    expect(sa.split(".")[3]).not.toEqual(sb.split(".")[3]);
  });

  it("returns 409 for a second key of the same provider in the org, and keeps the first", async () => {
    const name = provider();
    const first = ledger.add(providerSecret());
    const second = ledger.add(providerSecret());
    const created = await admin.llmKeys.create({ provider: name, label: "first", apiKey: first });
    const err = await failure(admin.llmKeys.create({ provider: name, label: "second", apiKey: second }));
    expect(err).toMatchObject({ httpStatus: 409, code: "conflict" });
    expect(err.message).toContain(`"${name}"`);
    expect(ledger.foundIn(err.message)).toEqual([]);
    expect((await llmKeyRows(db)).filter((r) => r.provider === name)).toEqual([expect.objectContaining({ id: created.id, label: "first" })]);
    await expect(admin.llmKeys.verify(created.id, { apiKey: first })).resolves.toEqual({ matches: true });
  });

  it("accepts the same provider in another org", async () => {
    const name = provider();
    await admin.llmKeys.create({ provider: name, label: "acme's", apiKey: ledger.add(providerSecret()) });
    const theirs = await other.llmKeys.create({ provider: name, label: "globex's", apiKey: ledger.add(providerSecret()) });
    expect(theirs).toMatchObject({ provider: name, label: "globex's" });
    expect((await llmKeyRows(db)).filter((r) => r.provider === name)).toHaveLength(2);
  });

  it("shows none of a secret shorter than 12 characters in its hint", async () => {
    const res = await admin.llmKeys.create({ provider: provider(), label: "short", apiKey: "abc123XYZ" });
    expect(res.keyHint).toBe("...");
    expect((await llmKeyRow(db, res.id))!.key_hint).toBe("...");
  });

  it("returns 422 naming each bad field, without echoing the secret", async () => {
    const tooLong = ledger.add("sk-" + "x".repeat(4094));
    const err = await failure(admin.http.call("createLlmKey", { body: { provider: "", label: "l".repeat(256), apiKey: tooLong, ciphertext: "x" } }));
    expect(err).toMatchObject({ httpStatus: 422, code: "validation_failed" });
    expect(err.details!.map((d) => d.path).sort()).toEqual(["apiKey", "ciphertext", "label", "provider"]);
    expect(ledger.foundIn(JSON.stringify({ message: err.message, details: err.details }))).toEqual([]);
    expect((await llmKeyRows(db)).filter((r) => r.provider === "")).toEqual([]);
  });

  it("returns 422 naming apiKey when it is missing", async () => {
    const err = await failure(admin.http.call("createLlmKey", { body: { provider: provider(), label: "no secret" } }));
    expect(err).toMatchObject({ httpStatus: 422, details: [{ path: "apiKey", message: expect.any(String) }] });
  });
});

describe("POST /api/v1/orgs/:org/llm-keys/:id/verify", () => {
  it("answers matches: true for the stored secret and false for any other value", async () => {
    const apiKey = ledger.add(providerSecret());
    const { id } = await admin.llmKeys.create({ provider: provider(), label: "v", apiKey });
    await expect(admin.llmKeys.verify(id, { apiKey })).resolves.toEqual({ matches: true });
    for (const wrong of [apiKey.slice(0, -1), apiKey + "x", apiKey.toUpperCase(), "x", providerSecret()]) {
      await expect(admin.llmKeys.verify(id, { apiKey: wrong })).resolves.toEqual({ matches: false });
    }
  });

  it("returns 404 for a key of another org", async () => {
    const { id } = await other.llmKeys.create({ provider: provider(), label: "theirs", apiKey: ledger.add(providerSecret()) });
    await expect(failure(admin.llmKeys.verify(id, { apiKey: "anything" }))).resolves.toMatchObject({ httpStatus: 404, code: "not_found" });
  });

  it("returns 422 naming apiKey when it is empty", async () => {
    const { id } = await admin.llmKeys.create({ provider: provider(), label: "v", apiKey: ledger.add(providerSecret()) });
    await expect(failure(admin.llmKeys.verify(id, { apiKey: "" }))).resolves.toMatchObject({ httpStatus: 422, details: [{ path: "apiKey" }] });
  });
});

describe("PATCH /api/v1/orgs/:org/llm-keys/:id", () => {
  it("replaces the secret in place: same id, version + 1, a new hint; only the new value verifies", async () => {
    const oldKey = ledger.add(providerSecret());
    const newKey = ledger.add(providerSecret());
    const created = await admin.llmKeys.create({ provider: provider(), label: "rotating", apiKey: oldKey });
    const before = (await llmKeyRow(db, created.id))!;
    await expect(admin.llmKeys.verify(created.id, { apiKey: oldKey })).resolves.toEqual({ matches: true });

    const updated = await admin.llmKeys.update(created.id, { apiKey: newKey });
    expect(updated).toMatchObject({ id: created.id, label: "rotating", version: 2, keyHint: `...${newKey.slice(-4)}`, status: "active", createdAt: created.createdAt });
    expect(Date.parse(updated.rotatedAt!)).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
    await expect(admin.llmKeys.verify(created.id, { apiKey: oldKey })).resolves.toEqual({ matches: false });
    await expect(admin.llmKeys.verify(created.id, { apiKey: newKey })).resolves.toEqual({ matches: true });

    const after = (await llmKeyRow(db, created.id))!;
    expect(after).toMatchObject({ version: 2, key_hint: `...${newKey.slice(-4)}` });
    expect(after.sealed_key).not.toEqual(before.sealed_key);
    expect((await llmKeyRows(db)).filter((r) => r.provider === created.provider)).toHaveLength(1);
    expect((await auditFor(created.id)).map((e) => e.action)).toEqual(["llm_key.create", "llm_key.rotate"]);
  });

  it("relabels without touching the secret or the version", async () => {
    const apiKey = ledger.add(providerSecret());
    const created = await admin.llmKeys.create({ provider: provider(), label: "old label", apiKey });
    const sealed = (await llmKeyRow(db, created.id))!.sealed_key;
    const updated = await admin.llmKeys.update(created.id, { label: "new label" });
    expect(updated).toMatchObject({ id: created.id, label: "new label", version: 1, keyHint: created.keyHint, rotatedAt: null });
    expect(await llmKeyRow(db, created.id)).toMatchObject({ label: "new label", version: 1, sealed_key: sealed });
    await expect(admin.llmKeys.verify(created.id, { apiKey })).resolves.toEqual({ matches: true });
    expect((await auditFor(created.id)).map((e) => e.action)).toEqual(["llm_key.create", "llm_key.update"]);
  });

  it("returns 404 for an unknown id", async () => {
    const err = await failure(admin.llmKeys.update("01890000-0000-7000-8000-000000000000", { label: "x" }));
    expect(err).toMatchObject({ httpStatus: 404, code: "not_found" });
  });

  it("returns 422 naming label when it is empty, and changes nothing", async () => {
    const created = await admin.llmKeys.create({ provider: provider(), label: "kept", apiKey: ledger.add(providerSecret()) });
    const err = await failure(admin.llmKeys.update(created.id, { label: "", apiKey: ledger.add(providerSecret()) }));
    expect(err).toMatchObject({ httpStatus: 422, details: [{ path: "label" }] });
    expect(await llmKeyRow(db, created.id)).toMatchObject({ label: "kept", version: 1 });
  });
});

describe("GET /api/v1/orgs/:org/llm-keys", () => {
  it("pages with limit and cursor in creation order, showing hints only", async () => {
    const freshDb = await createTestDatabase();
    try {
      const fresh = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k1.entry }, db: freshDb });
      try {
        const client = fresh.client(ledger.add((await fresh.bootstrap("paging")).adminToken), "paging");
        const created: LlmKey[] = [];
        for (let i = 0; i < 5; i++) created.push(await client.llmKeys.create({ provider: `p${i}`, label: `l${i}`, apiKey: ledger.add(providerSecret()) }));
        const seen: LlmKey[] = [];
        let cursor: string | undefined;
        const pages: number[] = [];
        do {
          const page = await client.llmKeys.list({ limit: 2, cursor });
          pages.push(page.items.length);
          seen.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(pages).toEqual([2, 2, 1]);
        expect(seen).toEqual(created);
        expect(ledger.foundIn(JSON.stringify(seen))).toEqual([]);
      } finally {
        await fresh.close();
      }
      expect(await secretsInDatabase(ledger, freshDb)).toEqual([]);
    } finally {
      await freshDb.drop();
    }
  });

  it("lists only the caller's org", async () => {
    const theirs = await other.llmKeys.create({ provider: provider(), label: "globex only", apiKey: ledger.add(providerSecret()) });
    const [acme] = await db.query<{ id: string }>("SELECT id FROM orgs WHERE slug = 'acme'");
    const mine = await admin.llmKeys.list({ limit: 100 });
    expect(mine.items.map((k) => k.id)).not.toContain(theirs.id);
    expect(mine.items.map((k) => k.id)).toEqual((await llmKeyRows(db)).filter((r) => r.org_id === acme.id).map((r) => r.id));
  });

  it("returns 422 naming query.limit when it is out of range", async () => {
    await expect(failure(admin.llmKeys.list({ limit: 0 }))).resolves.toMatchObject({ httpStatus: 422, details: [{ path: "query.limit" }] });
  });
});

describe("GET /api/v1/orgs/:org/llm-keys/:id", () => {
  it("returns the key as created", async () => {
    const created = await admin.llmKeys.create({ provider: provider(), label: "get me", apiKey: ledger.add(providerSecret()) });
    await expect(admin.llmKeys.get(created.id)).resolves.toEqual(created);
  });

  it("returns 404 for a key of another org", async () => {
    const theirs = await other.llmKeys.create({ provider: provider(), label: "theirs", apiKey: ledger.add(providerSecret()) });
    await expect(failure(admin.llmKeys.get(theirs.id))).resolves.toMatchObject({ httpStatus: 404, code: "not_found" });
  });
});

describe("DELETE /api/v1/orgs/:org/llm-keys/:id", () => {
  it("returns 204, removes the row, and frees the provider for a new key", async () => {
    const created = await admin.llmKeys.create({ provider: provider(), label: "doomed", apiKey: ledger.add(providerSecret()) });
    await expect(admin.llmKeys.delete(created.id)).resolves.toBeUndefined();
    expect(await llmKeyRow(db, created.id)).toBeUndefined();
    await expect(failure(admin.llmKeys.get(created.id))).resolves.toMatchObject({ httpStatus: 404 });
    expect((await auditFor(created.id)).map((e) => e.action)).toEqual(["llm_key.create", "llm_key.delete"]);
    await expect(admin.llmKeys.create({ provider: created.provider, label: "again", apiKey: ledger.add(providerSecret()) })).resolves.toMatchObject({ version: 1 });
  });

  it("returns 404 for a key of another org, and leaves it in place", async () => {
    const theirs = await other.llmKeys.create({ provider: provider(), label: "theirs", apiKey: ledger.add(providerSecret()) });
    await expect(failure(admin.llmKeys.delete(theirs.id))).resolves.toMatchObject({ httpStatus: 404 });
    expect(await llmKeyRow(db, theirs.id)).toBeDefined();
  });
});

describe("LLM key secrets", () => {
  it("appear in no database file, stored value, log line or audit event", async () => {
    expect(ledger.size).toBeGreaterThan(20);
    await expectNoSecretsInService(ledger, svc);
    const audit = await db.query<{ action: string; target: string | null }>("SELECT action, target FROM audit_events WHERE action LIKE 'llm_key.%'");
    expect(audit.length).toBeGreaterThan(10);
    expect(ledger.foundIn(JSON.stringify(audit))).toEqual([]);
  });
});
