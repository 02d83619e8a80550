import type { KeyserviceClient } from "@keyservice/sdk";
import { expectNoSecretsInService, secretsInDatabase } from "../../helpers/leaks";
import { SecretLedger } from "../../helpers/secrets";
import { startTestService, type TestService } from "../../helpers/service";
import { createTestDatabase, type TestDatabase } from "../../helpers/store";
import { failure, llmKeyRow, llmKeyRows, masterKey, providerSecret } from "./support";

type CallerName = "admin" | "member" | "read" | "read_write" | "full_access";
type RouteName = "create" | "list" | "get" | "update" | "delete" | "verify";

const CALLERS: CallerName[] = ["admin", "member", "read", "read_write", "full_access"];

/**
 * Who may do what. Reads are open to every member and key; every write, delete and verify of a
 * tenant's provider secret needs an org admin or a full_access key (verify is a guessing oracle).
 */
const ALLOWED: Record<RouteName, CallerName[]> = {
  create: ["admin", "full_access"],
  list: CALLERS,
  get: CALLERS,
  update: ["admin", "full_access"],
  delete: ["admin", "full_access"],
  verify: ["admin", "full_access"],
};

const PATHS: Record<RouteName, string> = {
  create: "POST /api/v1/orgs/:org/llm-keys",
  list: "GET /api/v1/orgs/:org/llm-keys",
  get: "GET /api/v1/orgs/:org/llm-keys/:id",
  update: "PATCH /api/v1/orgs/:org/llm-keys/:id",
  delete: "DELETE /api/v1/orgs/:org/llm-keys/:id",
  verify: "POST /api/v1/orgs/:org/llm-keys/:id/verify",
};

const ledger = new SecretLedger();
// Made here, not by the service: it is searched once more after the service has closed.
let db: TestDatabase;
let svc: TestService;
let admin: KeyserviceClient;
const clients = {} as Record<CallerName, KeyserviceClient>;

beforeAll(async () => {
  const k1 = masterKey("k1");
  ledger.add(k1.material);
  db = await createTestDatabase();
  svc = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: k1.entry }, db });
  admin = svc.client(ledger.add((await svc.bootstrap("acme")).adminToken), "acme");
  clients.admin = admin;
  const member = await admin.members.create({ name: "a member", role: "member" });
  clients.member = svc.client(ledger.add(member.token), "acme");
  for (const permission of ["read", "read_write", "full_access"] as const) {
    const key = await admin.platformApiKeys.create({ name: `${permission} key`, permission });
    clients[permission] = svc.client(ledger.add(key.key), "acme");
  }
});

describe("POST /api/v1/orgs/:org/llm-keys/:id/verify, a guessing oracle", () => {
  it("is metered per caller across the service: over KEYSERVICE_LLM_VERIFY_LIMIT the caller gets 429 with Retry-After, others do not", async () => {
    const metered = await startTestService({ env: { KEYSERVICE_ENCRYPTION_KEYS: masterKey("k1").entry, KEYSERVICE_LLM_VERIFY_LIMIT: "3" } });
    try {
      const adminOf = metered.client(ledger.add((await metered.bootstrap("metered")).adminToken), "metered");
      const key = await adminOf.llmKeys.create({ provider: "openai", label: "l", apiKey: ledger.add(providerSecret()) });
      for (let i = 0; i < 3; i++) await expect(adminOf.llmKeys.verify(key.id, { apiKey: "sk-guess" })).resolves.toEqual({ matches: false });
      const err = await failure(adminOf.llmKeys.verify(key.id, { apiKey: "sk-guess" }));
      expect({ status: err.httpStatus, code: err.code }).toEqual({ status: 429, code: "rate_limited" });
      const otherCaller = metered.client(ledger.add((await adminOf.platformApiKeys.create({ name: "full", permission: "full_access" })).key), "metered");
      await expect(otherCaller.llmKeys.verify(key.id, { apiKey: "sk-guess" })).resolves.toEqual({ matches: false });
    } finally {
      await metered.close();
    }
  });
});

afterAll(async () => {
  await svc?.close();
  try {
    if (db) expect(await secretsInDatabase(ledger, db)).toEqual([]);
  } finally {
    await db?.drop();
  }
});

/** A key made by the admin for one case, with its secret. */
async function target(caller: CallerName, route: RouteName) {
  const apiKey = ledger.add(providerSecret());
  const key = await admin.llmKeys.create({ provider: `target-${route}-${caller}`, label: "target", apiKey });
  return { ...key, apiKey };
}

/** Calls a route as a caller; on success, checks what it did (in the database where it writes). */
const act: Record<RouteName, (client: KeyserviceClient, caller: CallerName) => Promise<() => Promise<void>>> = {
  create: async (client, caller) => {
    const provider = `created-by-${caller}`;
    await expect(client.llmKeys.create({ provider, label: "mine", apiKey: ledger.add(providerSecret()) })).resolves.toMatchObject({ provider, version: 1 });
    return async () => expect((await llmKeyRows(db)).filter((r) => r.provider === provider)).toHaveLength(1);
  },
  list: async (client, caller) => {
    const key = await target(caller, "list");
    const ids: string[] = [];
    for (let cursor: string | undefined, more = true; more; ) {
      const page = await client.llmKeys.list({ limit: 100, cursor });
      ids.push(...page.items.map((k) => k.id));
      cursor = page.nextCursor ?? undefined;
      more = Boolean(cursor);
    }
    return async () => expect(ids).toContain(key.id);
  },
  get: async (client, caller) => {
    const key = await target(caller, "get");
    await expect(client.llmKeys.get(key.id)).resolves.toMatchObject({ id: key.id, keyHint: key.keyHint });
    return async () => undefined;
  },
  update: async (client, caller) => {
    const key = await target(caller, "update");
    await expect(client.llmKeys.update(key.id, { label: "relabelled", apiKey: ledger.add(providerSecret()) })).resolves.toMatchObject({ version: 2 });
    return async () => expect(await llmKeyRow(db, key.id)).toMatchObject({ label: "relabelled", version: 2 });
  },
  delete: async (client, caller) => {
    const key = await target(caller, "delete");
    await client.llmKeys.delete(key.id);
    return async () => expect(await llmKeyRow(db, key.id)).toBeUndefined();
  },
  verify: async (client, caller) => {
    const key = await target(caller, "verify");
    await expect(client.llmKeys.verify(key.id, { apiKey: key.apiKey })).resolves.toEqual({ matches: true });
    return async () => undefined;
  },
};

/** Calls a route as a caller that may not; checks the 403 and that nothing changed. */
const deny: Record<RouteName, (client: KeyserviceClient, caller: CallerName) => Promise<void>> = {
  create: async (client, caller) => {
    const provider = `created-by-${caller}`;
    await expect(failure(client.llmKeys.create({ provider, label: "mine", apiKey: ledger.add(providerSecret()) }))).resolves.toMatchObject({ httpStatus: 403, code: "forbidden" });
    expect((await llmKeyRows(db)).filter((r) => r.provider === provider)).toEqual([]);
  },
  list: async () => {
    throw new Error("Every caller may list.");
  },
  get: async () => {
    throw new Error("Every caller may get.");
  },
  update: async (client, caller) => {
    const key = await target(caller, "update");
    await expect(failure(client.llmKeys.update(key.id, { label: "relabelled", apiKey: ledger.add(providerSecret()) }))).resolves.toMatchObject({ httpStatus: 403 });
    expect(await llmKeyRow(db, key.id)).toMatchObject({ label: "target", version: 1 });
    await expect(admin.llmKeys.verify(key.id, { apiKey: key.apiKey })).resolves.toEqual({ matches: true });
  },
  delete: async (client, caller) => {
    const key = await target(caller, "delete");
    await expect(failure(client.llmKeys.delete(key.id))).resolves.toMatchObject({ httpStatus: 403 });
    expect(await llmKeyRow(db, key.id)).toBeDefined();
  },
  verify: async (client, caller) => {
    const key = await target(caller, "verify");
    const err = await failure(client.llmKeys.verify(key.id, { apiKey: key.apiKey }));
    expect(err).toMatchObject({ httpStatus: 403, code: "forbidden" });
    expect(ledger.foundIn(err.message)).toEqual([]);
  },
};

for (const route of Object.keys(PATHS) as RouteName[]) {
  describe(PATHS[route], () => {
    for (const caller of CALLERS) {
      const label = caller === "admin" ? "an org admin" : caller === "member" ? "a member" : `a ${caller} key`;
      if (ALLOWED[route].includes(caller)) {
        it(`allows ${label}`, async () => {
          const check = await act[route](clients[caller], caller);
          await check();
        });
      } else {
        it(`returns 403 to ${label}`, async () => {
          await deny[route](clients[caller], caller);
        });
      }
    }
  });
}

describe("LLM key secrets under every caller", () => {
  it("appear in no database file, stored value or log line", async () => {
    await expectNoSecretsInService(ledger, svc);
  });
});
