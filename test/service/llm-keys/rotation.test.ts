import { runCli } from "../../helpers/cli";
import type { PlatformApiKeyWithSecret } from "@keyservice/sdk";
import { secretsInDatabase } from "../../helpers/leaks";
import { SecretLedger } from "../../helpers/secrets";
import { startTestService, tempDir, type TestService } from "../../helpers/service";
import { createTestDatabase, type TestDatabase } from "../../helpers/store";
import { failure, llmKeyRow, llmKeyRows, masterKey, providerSecret } from "./support";

interface Held {
  id: string;
  org: string;
  apiKey: string;
}

/** The summary line `keyservice reencrypt` prints. */
interface Summary {
  primaryKeyId: string;
  moved: number;
  current: number;
  undecryptable: number;
  skipped: number;
  llmKeys: { moved: number; current: number; undecryptable: number; skipped: number };
  idempotencyRecords: { moved: number; current: number; undecryptable: number; skipped: number };
  idempotencyFingerprints: { moved: number; current: number; undecryptable: number; skipped: number };
}

function parseSummary(stdout: string): Summary {
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Summary;
}

/**
 * Makes every write of `sealed_key` on row `firstId` also set row `racedId` to `value`, in the
 * same transaction: what a PATCH landing between the CLI's read and its write would do.
 * Returns what removes it again.
 */
async function replayPatchOnWrite(db: TestDatabase, firstId: string, racedId: string, value: string): Promise<() => Promise<void>> {
  if (db.kind === "postgres") {
    await db.exec(
      `CREATE FUNCTION concurrent_patch() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN UPDATE llm_keys SET sealed_key = '${value}' WHERE id = '${racedId}'; RETURN NULL; END $$`,
    );
    await db.exec(
      `CREATE TRIGGER concurrent_patch AFTER UPDATE OF sealed_key ON llm_keys FOR EACH ROW WHEN (NEW.id = '${firstId}') EXECUTE FUNCTION concurrent_patch()`,
    );
    return async () => {
      await db.exec("DROP TRIGGER concurrent_patch ON llm_keys");
      await db.exec("DROP FUNCTION concurrent_patch()");
    };
  }
  await db.exec(
    `CREATE TRIGGER concurrent_patch AFTER UPDATE OF sealed_key ON llm_keys WHEN NEW.id = '${firstId}'
     BEGIN UPDATE llm_keys SET sealed_key = '${value}' WHERE id = '${racedId}'; END`,
  );
  return async () => {
    await db.exec("DROP TRIGGER concurrent_patch");
  };
}

describe("master-key rotation and keyservice reencrypt", () => {
  const ledger = new SecretLedger();
  const k1 = masterKey("k1");
  const k2 = masterKey("k2");
  // One database for the whole story: services restart over it and the CLI re-seals it in between.
  let db: TestDatabase;
  const tokens: Record<string, string> = {};
  const held: Held[] = [];
  let broken: { id: string; sealed: string };
  let replayed: PlatformApiKeyWithSecret;
  let lostCreate: { id: string; name: string };
  let cliOutput = "";
  let logs = "";

  async function withService<T>(keys: string, body: (svc: TestService) => Promise<T>): Promise<T> {
    const svc = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: keys }, db });
    try {
      return await body(svc);
    } finally {
      await svc.close();
      logs += svc.logs();
    }
  }

  async function reencrypt(keys: string) {
    const res = await runCli(["reencrypt", "--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: keys });
    cliOutput += res.stdout + res.stderr;
    expect(res).toMatchObject({ code: 0, stderr: "" });
    return parseSummary(res.stdout);
  }

  async function expectAllVerify(svc: TestService) {
    for (const key of held) {
      await expect(svc.client(tokens[key.org], key.org).llmKeys.verify(key.id, { apiKey: key.apiKey })).resolves.toEqual({ matches: true });
    }
  }

  const reencryptEvents = () =>
    db.query<{ org_id: string; actor: string; target: string }>("SELECT org_id, actor, target FROM audit_events WHERE action = 'master_key.reencrypt' ORDER BY id");

  beforeAll(async () => {
    ledger.add(k1.material);
    ledger.add(k2.material);
    db = await createTestDatabase();
    await withService(k1.entry, async (svc) => {
      for (const org of ["acme", "globex"]) {
        tokens[org] = ledger.add((await svc.bootstrap(org)).adminToken);
        const client = svc.client(tokens[org], org);
        for (const provider of ["openai", "anthropic"]) {
          const apiKey = ledger.add(providerSecret());
          held.push({ id: (await client.llmKeys.create({ provider, label: provider, apiKey })).id, org, apiKey });
        }
      }
      const acme = svc.client(tokens.acme, "acme");
      // A sealed idempotent replay: it holds a new secret, so it must move to the new master key too.
      replayed = await acme.platformApiKeys.create({ name: "ci", permission: "read" }, { idempotencyKey: "create-ci-key" });
      ledger.add(replayed.key);
      // A create past its 24 h: its answer is purged at the next start, its sealed fingerprint stays (to recover it).
      const lost = await acme.globalApiKeys.create({ name: "lost", allowAllDeployments: true }, { idempotencyKey: "lost-create" });
      ledger.add(lost.key);
      lostCreate = { id: lost.id, name: lost.name };
      await svc.db.exec("UPDATE idempotency_records SET created_at = created_at - ? WHERE idempotency_key = 'lost-create'", 25 * 3600 * 1000);
      // A row bound to another row's ciphertext: no master key opens it.
      const victim = await acme.llmKeys.create({ provider: "mistral", label: "broken", apiKey: ledger.add(providerSecret()) });
      await svc.db.exec("UPDATE llm_keys SET sealed_key = ? WHERE id = ?", (await llmKeyRow(svc.db, held[0].id))!.sealed_key, victim.id);
      broken = { id: victim.id, sealed: (await llmKeyRow(svc.db, held[0].id))!.sealed_key };
    });
  });

  afterAll(async () => {
    try {
      expect(ledger.foundIn(logs)).toEqual([]);
      expect(ledger.foundIn(cliOutput)).toEqual([]);
      if (db) expect(await secretsInDatabase(ledger, db)).toEqual([]);
    } finally {
      await db?.drop();
    }
  });

  it("still verifies every key after a restart with a new primary key and the old one second, sealing new values with the new one", async () => {
    await withService(`${k2.entry},${k1.entry}`, async (svc) => {
      await expectAllVerify(svc);
      const apiKey = ledger.add(providerSecret());
      const created = await svc.client(tokens.globex, "globex").llmKeys.create({ provider: "gemini", label: "after rotation", apiKey });
      held.push({ id: created.id, org: "globex", apiKey });
      expect((await llmKeyRow(svc.db, created.id))!.sealed_key.startsWith("v1.k2.")).toBe(true);
      expect((await llmKeyRow(svc.db, held[0].id))!.sealed_key.startsWith("v1.k1.")).toBe(true);
    });
  });

  it("reencrypt moves every value to the primary key, leaves undecryptable ones alone, and prints a summary line", async () => {
    const summary = await reencrypt(`${k2.entry},${k1.entry}`);
    expect(summary).toEqual({
      primaryKeyId: "k2",
      moved: 7,
      current: 1,
      undecryptable: 1,
      skipped: 0,
      llmKeys: { moved: 4, current: 1, undecryptable: 1, skipped: 0 },
      idempotencyRecords: { moved: 1, current: 0, undecryptable: 0, skipped: 0 },
      idempotencyFingerprints: { moved: 2, current: 0, undecryptable: 0, skipped: 0 },
    });
    const rows = await llmKeyRows(db);
    expect(rows.filter((r) => r.id !== broken.id).every((r) => r.sealed_key.startsWith("v1.k2."))).toBe(true);
    expect(rows.find((r) => r.id === broken.id)!.sealed_key).toBe(broken.sealed);
    const replays = await db.query<{ sealed_response: string; fingerprint: string }>("SELECT sealed_response, fingerprint FROM idempotency_records ORDER BY idempotency_key");
    // The create past its 24 h keeps no answer: only its fingerprint moved.
    expect(replays.map((r) => [r.sealed_response.split(".")[1], r.fingerprint.split(".")[1]])).toEqual([["k2", "k2"], [undefined, "k2"]]);
  });

  it("reencrypt audits one event per org whose values moved, naming the new primary key", async () => {
    const orgIds = await db.query<{ id: string; slug: string }>("SELECT id, slug FROM orgs ORDER BY slug");
    expect((await reencryptEvents()).sort((a, b) => a.org_id.localeCompare(b.org_id))).toEqual(
      orgIds.map((o) => ({ org_id: o.id, actor: "cli:reencrypt", target: "master_key:k2" })).sort((a, b) => a.org_id.localeCompare(b.org_id)),
    );
  });

  it("reencrypt run again moves nothing and audits nothing more", async () => {
    const summary = await reencrypt(`${k2.entry},${k1.entry}`);
    expect(summary).toMatchObject({ moved: 0, current: 8, undecryptable: 1, llmKeys: { moved: 0, current: 5, undecryptable: 1 } });
    expect(await reencryptEvents()).toHaveLength(2);
  });

  it("still verifies every key, and replays the idempotent response, once the old master key is removed", async () => {
    await withService(k2.entry, async (svc) => {
      await expectAllVerify(svc);
      const acme = svc.client(tokens.acme, "acme");
      const listed = await acme.llmKeys.list();
      expect(listed.items.filter((k) => k.status === "undecryptable").map((k) => k.id)).toEqual([broken.id]);
      await expect(acme.platformApiKeys.create({ name: "ci", permission: "read" }, { idempotencyKey: "create-ci-key" })).resolves.toEqual(replayed);
      const recovered = await acme.globalApiKeys.create({ name: lostCreate.name, allowAllDeployments: true }, { idempotencyKey: "lost-create" });
      ledger.add(recovered.key);
      expect(recovered).toMatchObject({ id: lostCreate.id, version: 2 });
      await expect(failure(acme.llmKeys.verify(broken.id, { apiKey: held[0].apiKey }))).resolves.toMatchObject({ httpStatus: 409 });
    });
  });

  it("reencrypt refuses a database that does not exist, naming the path", async () => {
    const missing = `${tempDir()}/nope.db`;
    const res = await runCli(["reencrypt", "--db", missing], { KEYSERVICE_ENCRYPTION_KEYS: k2.entry });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`There is no database at "${missing}"`);
  });
});

describe("keyservice reencrypt racing a PATCH", () => {
  // The services and the CLI come and go over one database, made and dropped here.
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db?.drop());

  it("keeps a secret written between its read and its write (compare-and-set per row)", async () => {
    const ledger = new SecretLedger();
    const [k2, k3] = [masterKey("k2"), masterKey("k3")];
    ledger.add(k2.material);
    ledger.add(k3.material);
    const svc = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k2.entry }, db });
    const token = ledger.add((await svc.bootstrap("acme")).adminToken);
    const client = svc.client(token, "acme");
    const first = await client.llmKeys.create({ provider: "openai", label: "moved first", apiKey: ledger.add(providerSecret()) });
    const patchedSecret = ledger.add(providerSecret());
    const raced = await client.llmKeys.create({ provider: "anthropic", label: "raced", apiKey: patchedSecret });
    // What a PATCH setting patchedSecret writes; the row then goes back to an older secret for the CLI to read.
    const patchedValue = (await llmKeyRow(db, raced.id))!.sealed_key;
    const olderSecret = ledger.add(providerSecret());
    await client.llmKeys.update(raced.id, { apiKey: olderSecret });
    await svc.close();
    // Replays that PATCH inside the CLI's write of the first row: after it read both rows, before it writes the second.
    const removeTrigger = await replayPatchOnWrite(db, first.id, raced.id, patchedValue);

    const res = await runCli(["reencrypt", "--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: `${k3.entry},${k2.entry}` });
    expect(res.code).toBe(0);
    expect(parseSummary(res.stdout).llmKeys).toEqual({ moved: 2, current: 0, undecryptable: 0, skipped: 0 });
    await removeTrigger();
    expect((await llmKeyRow(db, raced.id))!.sealed_key.startsWith("v1.k3.")).toBe(true);

    const after = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k3.entry }, db });
    try {
      const again = after.client(token, "acme");
      await expect(again.llmKeys.verify(raced.id, { apiKey: patchedSecret })).resolves.toEqual({ matches: true });
      await expect(again.llmKeys.verify(raced.id, { apiKey: olderSecret })).resolves.toEqual({ matches: false });
    } finally {
      await after.close();
    }
    expect(await secretsInDatabase(ledger, db)).toEqual([]);
  });
});

describe("keyservice reencrypt while the service takes writes", () => {
  // The services and the CLI come and go over one database, made and dropped here.
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db?.drop());

  it("finishes alongside concurrent PATCHes, and every key verifies with its latest secret", async () => {
    const ledger = new SecretLedger();
    const [k2, k3] = [masterKey("k2"), masterKey("k3")];
    ledger.add(k2.material);
    ledger.add(k3.material);
    // The service still runs on the old key, so its writes land under k2 while the CLI moves rows to k3.
    const svc = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k2.entry }, db });
    const latest = new Map<string, string>();
    let patchesDuringRun = 0;
    let token: string;
    try {
      token = ledger.add((await svc.bootstrap("acme")).adminToken);
      const client = svc.client(token, "acme");
      for (let i = 0; i < 200; i++) {
        const apiKey = ledger.add(providerSecret());
        const { id } = await client.llmKeys.create({ provider: `p${i}`, label: `l${i}`, apiKey });
        latest.set(id, apiKey);
      }
      const ids = [...latest.keys()];
      let running = true;
      const cli = runCli(["reencrypt", "--db", db.url], { KEYSERVICE_ENCRYPTION_KEYS: `${k3.entry},${k2.entry}` }).finally(() => (running = false));
      const writer = (async () => {
        for (let i = 0; running; i = (i + 7) % ids.length) {
          const apiKey = ledger.add(providerSecret());
          await client.llmKeys.update(ids[i], { apiKey });
          latest.set(ids[i], apiKey);
          patchesDuringRun++;
        }
      })();
      const res = await cli;
      await writer;
      expect(res.code).toBe(0);
      expect(parseSummary(res.stdout)).toMatchObject({ undecryptable: 0, skipped: 0 });
      expect(patchesDuringRun).toBeGreaterThan(0);
    } finally {
      await svc.close();
    }

    // 200 verifications by one caller: above the per-caller meter's default.
    const after = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: `${k3.entry},${k2.entry}`, KEYSERVICE_LLM_VERIFY_LIMIT: "1000" }, db });
    try {
      const client = after.client(token, "acme");
      const mismatches: string[] = [];
      for (const [id, apiKey] of latest) {
        if (!(await client.llmKeys.verify(id, { apiKey })).matches) mismatches.push(id);
      }
      expect(mismatches).toEqual([]);
      expect(ledger.foundIn(svc.logs() + after.logs())).toEqual([]);
    } finally {
      await after.close();
    }
    expect(await secretsInDatabase(ledger, db)).toEqual([]);
  });
});
