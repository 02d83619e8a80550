import { runCli } from "../../helpers/cli";
import fs from "node:fs";
import path from "node:path";
import type { KeyserviceClient } from "@keyservice/sdk";
import { expectNoSecretsInService, secretsInDatabase } from "../../helpers/leaks";
import { SecretLedger } from "../../helpers/secrets";
import { startTestService, type TestService } from "../../helpers/service";
import { createTestDatabase, type TestDatabase, testStoreKind } from "../../helpers/store";
import { failure, llmKeyRow, masterKey, providerSecret } from "./support";

const UNDECRYPTABLE = /stored secret of LLM key .* cannot be decrypted with the configured master keys/;
// The development master key file exists only beside a SQLite database: PostgreSQL requires KEYSERVICE_ENCRYPTION_KEYS.
const sqliteOnly = testStoreKind() === "sqlite" ? describe : describe.skip;

describe("LLM keys at rest: associated data binds a ciphertext to its row and org", () => {
  const ledger = new SecretLedger();
  const k1 = masterKey("k1");
  // Made here, not by the service: it is searched once more after the service has closed.
  let db: TestDatabase;
  let svc: TestService;
  let acme: KeyserviceClient;
  let globex: KeyserviceClient;
  let secretA: string;

  beforeAll(async () => {
    ledger.add(k1.material);
    db = await createTestDatabase();
    svc = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k1.entry }, db });
    acme = svc.client(ledger.add((await svc.bootstrap("acme")).adminToken), "acme");
    globex = svc.client(ledger.add((await svc.bootstrap("globex")).adminToken), "globex");
  });

  afterAll(async () => {
    await svc?.close();
    try {
      if (db) expect(await secretsInDatabase(ledger, db)).toEqual([]);
    } finally {
      await db?.drop();
    }
  });

  it("lists a row holding another row's sealed_key as undecryptable, and the source row as active", async () => {
    secretA = ledger.add(providerSecret());
    const a = await acme.llmKeys.create({ provider: "openai", label: "a", apiKey: secretA });
    const b = await acme.llmKeys.create({ provider: "anthropic", label: "b", apiKey: ledger.add(providerSecret()) });
    expect((await acme.llmKeys.list()).items.map((k) => k.status)).toEqual(["active", "active"]);
    await db.exec("UPDATE llm_keys SET sealed_key = ? WHERE id = ?", (await llmKeyRow(db, a.id))!.sealed_key, b.id);

    const listed = await acme.llmKeys.list();
    expect(listed.items.map((k) => [k.id, k.status])).toEqual([
      [a.id, "active"],
      [b.id, "undecryptable"],
    ]);
    await expect(acme.llmKeys.get(b.id)).resolves.toMatchObject({ status: "undecryptable", keyHint: b.keyHint });
    await expect(acme.llmKeys.verify(a.id, { apiKey: secretA })).resolves.toEqual({ matches: true });
  });

  it("answers verify on an undecryptable key with 409 and a message that leaks nothing", async () => {
    const [, b] = (await acme.llmKeys.list()).items;
    const err = await failure(acme.llmKeys.verify(b.id, { apiKey: secretA }));
    expect(err).toMatchObject({ httpStatus: 409, code: "conflict" });
    expect(err.message).toMatch(UNDECRYPTABLE);
    expect(err.message).not.toMatch(/v1\.|k1/);
    expect(ledger.foundIn(err.message)).toEqual([]);
  });

  it("recovers an undecryptable key when PATCH sets a new apiKey", async () => {
    const [, b] = (await acme.llmKeys.list()).items;
    const fresh = ledger.add(providerSecret());
    await expect(acme.llmKeys.update(b.id, { apiKey: fresh })).resolves.toMatchObject({ id: b.id, status: "active", version: 2 });
    await expect(acme.llmKeys.verify(b.id, { apiKey: fresh })).resolves.toEqual({ matches: true });
  });

  it("lists a row holding a sealed_key of another org as undecryptable", async () => {
    const theirs = await globex.llmKeys.create({ provider: "openai", label: "globex", apiKey: ledger.add(providerSecret()) });
    const mine = await acme.llmKeys.create({ provider: "mistral", label: "acme", apiKey: ledger.add(providerSecret()) });
    await db.exec("UPDATE llm_keys SET sealed_key = ? WHERE id = ?", (await llmKeyRow(db, theirs.id))!.sealed_key, mine.id);
    await expect(acme.llmKeys.get(mine.id)).resolves.toMatchObject({ status: "undecryptable" });
    await expect(failure(acme.llmKeys.verify(mine.id, { apiKey: "anything" }))).resolves.toMatchObject({ httpStatus: 409 });
    await expect(globex.llmKeys.get(theirs.id)).resolves.toMatchObject({ status: "active" });
  });

  it("lists a tampered ciphertext as undecryptable", async () => {
    const key = await acme.llmKeys.create({ provider: "cohere", label: "tampered", apiKey: ledger.add(providerSecret()) });
    const [format, id, nonce, body] = (await llmKeyRow(db, key.id))!.sealed_key.split(".");
    const flipped = (body[0] === "A" ? "B" : "A") + body.slice(1);
    await db.exec("UPDATE llm_keys SET sealed_key = ? WHERE id = ?", [format, id, nonce, flipped].join("."), key.id);
    await expect(acme.llmKeys.get(key.id)).resolves.toMatchObject({ status: "undecryptable" });
  });

  it("leaves no secret in the database or the logs", async () => {
    await expectNoSecretsInService(ledger, svc);
  });
});

describe("LLM keys under an unknown master key", () => {
  const ledger = new SecretLedger();
  const k1 = masterKey("k1");
  const stranger = masterKey("k9");
  // One database for every service here: each test restarts over what the first one stored.
  let db: TestDatabase;
  const secrets: Record<string, string> = {};
  const ids: string[] = [];
  let adminToken: string;

  beforeAll(async () => {
    ledger.add(k1.material);
    ledger.add(stranger.material);
    db = await createTestDatabase();
    const first = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k1.entry }, db });
    adminToken = ledger.add((await first.bootstrap("acme")).adminToken);
    const client = first.client(adminToken, "acme");
    for (const provider of ["openai", "anthropic", "gemini"]) {
      const key = await client.llmKeys.create({ provider, label: provider, apiKey: ledger.add((secrets[provider] = providerSecret())) });
      ids.push(key.id);
    }
    await first.close();
  });

  let svc: TestService;
  beforeEach(async () => {
    svc = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: stranger.entry }, db });
  });
  afterEach(async () => {
    await svc.close();
    expect(ledger.foundIn(svc.logs())).toEqual([]);
  });
  afterAll(async () => {
    try {
      if (db) expect(await secretsInDatabase(ledger, db)).toEqual([]);
    } finally {
      await db?.drop();
    }
  });

  it("lists every key as undecryptable with 200, instead of failing the list", async () => {
    const page = await svc.client(adminToken, "acme").llmKeys.list();
    expect(page.items.map((k) => [k.id, k.status])).toEqual(ids.map((id) => [id, "undecryptable"]));
  });

  it("answers verify with 409: the stored secret cannot be decrypted", async () => {
    const err = await failure(svc.client(adminToken, "acme").llmKeys.verify(ids[0], { apiKey: secrets.openai }));
    expect(err).toMatchObject({ httpStatus: 409, code: "conflict" });
    expect(err.message).toMatch(UNDECRYPTABLE);
  });

  it("still stores new keys, sealed with the new primary key", async () => {
    const client = svc.client(adminToken, "acme");
    const apiKey = ledger.add(providerSecret());
    const created = await client.llmKeys.create({ provider: "groq", label: "new", apiKey });
    expect(created.status).toBe("active");
    expect((await llmKeyRow(db, created.id))!.sealed_key.startsWith("v1.k9.")).toBe(true);
    await expect(client.llmKeys.verify(created.id, { apiKey })).resolves.toEqual({ matches: true });
  });
});

sqliteOnly("the development master key (SQLite only)", () => {
  it("is generated once beside the database when KEYSERVICE_ENCRYPTION_KEYS is unset, and the log says so", async () => {
    const ledger = new SecretLedger();
    const db = await createTestDatabase();
    const keyFile = path.join(db.dir, "dev-encryption.key");
    const first = await startTestService({ db });
    expect(first.logs()).toMatch(/generated a development master key/);
    expect(fs.existsSync(keyFile)).toBe(true);
    const keyText = fs.readFileSync(keyFile, "utf8");
    const token = ledger.add((await first.bootstrap("acme")).adminToken);
    const apiKey = ledger.add(providerSecret());
    const { id } = await first.client(token, "acme").llmKeys.create({ provider: "openai", label: "dev", apiKey });
    expect((await llmKeyRow(db, id))!.sealed_key.startsWith("v1.dev.")).toBe(true);
    await first.close();

    const second = await startTestService({ db });
    try {
      expect(second.logs()).toMatch(/using the development master key/);
      expect(second.logs()).not.toMatch(/generated a development master key/);
      expect(fs.readFileSync(keyFile, "utf8")).toBe(keyText);
      await expect(second.client(token, "acme").llmKeys.verify(id, { apiKey })).resolves.toEqual({ matches: true });
      ledger.add(keyText.trim().split(":")[1]);
      expect(ledger.foundIn(first.logs() + second.logs())).toEqual([]);
    } finally {
      await second.close();
      await db.drop();
    }
  });
});

describe("keyservice serve in production", () => {
  it("refuses to start without KEYSERVICE_ENCRYPTION_KEYS, and makes no development key", async () => {
    const db = await createTestDatabase();
    try {
      const res = await runCli(["serve", "--port", "0", "--db", db.url], { NODE_ENV: "production", KEYSERVICE_ENCRYPTION_KEYS: "" });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/KEYSERVICE_ENCRYPTION_KEYS is required in production/);
      expect(res.stdout).not.toMatch(/listening/);
      expect(fs.existsSync(path.join(db.dir, "dev-encryption.key"))).toBe(false);
    } finally {
      await db.drop();
    }
  });

  it("refuses two master keys with the same id, in one line naming the id, and never starts", async () => {
    const db = await createTestDatabase();
    try {
      const [first, second] = [masterKey("k1"), masterKey("k1")];
      const res = await runCli(["serve", "--port", "0", "--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: `${first.entry},${second.entry}` });
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^keyservice: KEYSERVICE_ENCRYPTION_KEYS lists the id "k1" twice/)]);
      expect(res.stdout).not.toMatch(/listening/);
      for (const material of [first.material, second.material]) expect(res.stdout + res.stderr).not.toContain(material);
    } finally {
      await db.drop();
    }
  });

  it("refuses to reencrypt without KEYSERVICE_ENCRYPTION_KEYS", async () => {
    const db = await createTestDatabase();
    try {
      const setup = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: masterKey("k1").entry }, db });
      await setup.close();
      const res = await runCli(["reencrypt", "--db", db.url], { NODE_ENV: "production", KEYSERVICE_ENCRYPTION_KEYS: "" });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/KEYSERVICE_ENCRYPTION_KEYS is required in production/);
    } finally {
      await db.drop();
    }
  });
});
