import { createHash, randomUUID } from "node:crypto";
import { routes } from "@keyservice/sdk";
import { defineRoute } from "@keyservice/service/dist/routes/define";
import { detailPaths, expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";
import { providerSecret } from "./llm-keys/support";

const suite = serviceSuite();

const keysNamed = (name: string) => suite.svc.db.count("SELECT count(*) FROM api_keys WHERE name = ?", name);
const deploymentsNamed = (name: string) => suite.svc.db.query<{ id: string }>("SELECT id FROM deployments WHERE name = ?", name);
const llmKeysOf = (provider: string) => suite.svc.db.query<{ id: string; label: string }>("SELECT id, label FROM llm_keys WHERE provider = ?", provider);

/** One raw POST with an Idempotency-Key, as the org's admin: the response headers say whether it was a replay. */
function post(path: string, body: unknown, idempotencyKey: string) {
  return rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}${path}`, { headers: { authorization: `Bearer ${suite.org.adminToken}`, "idempotency-key": idempotencyKey }, body });
}

/** Sends the same raw POST twice, returning both responses. */
async function postTwice(path: string, body: unknown, idempotencyKey: string) {
  const first = await post(path, body, idempotencyKey);
  const second = await post(path, body, idempotencyKey);
  suite.ledger.add((first.json as { key?: string })?.key);
  return { first, second };
}

describe("POST /api/v1/orgs/:org/global-api-keys (Idempotency-Key)", () => {
  it("replays the first response, status and body, and creates the key once", async () => {
    const name = uniqueName("g");
    const { first, second } = await postTwice("/global-api-keys", { name, allowAllDeployments: true }, randomUUID());
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    expect(await keysNamed(name)).toBe(1);
  });

  it("replays through the typed client too", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const a = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    const b = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    expect(b).toEqual(a);
  });

  it("returns 422 naming Idempotency-Key when the same key comes with another body, and creates nothing", async () => {
    const idempotencyKey = randomUUID();
    const first = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey });
    const otherName = uniqueName("g");
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name: otherName, allowAllDeployments: true }, { idempotencyKey }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["Idempotency-Key"]);
    expect(await keysNamed(otherName)).toBe(0);
    await expect(suite.org.admin.globalApiKeys.create({ name: first.name, allowAllDeployments: true }, { idempotencyKey })).resolves.toEqual(first);
  });

  it("returns 422 when the same key is reused on another route", async () => {
    const idempotencyKey = randomUUID();
    await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey });
    await expectApiError(suite.org.admin.platformApiKeys.create({ name: uniqueName("p") }, { idempotencyKey }), 422, "validation_failed");
  });

  it("does not replay across orgs: the same key in another org creates that org's own key", async () => {
    const idempotencyKey = randomUUID();
    const other = await newOrg(suite.svc, suite.ledger);
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const mine = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    const theirs = await other.admin.globalApiKeys.create(body, { idempotencyKey });
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.key).not.toBe(mine.key);
  });

  it("lets a failed first attempt be retried with the same key", async () => {
    const idempotencyKey = randomUUID();
    const taken = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expectApiError(suite.org.admin.globalApiKeys.create({ name: taken.name, allowAllDeployments: true }, { idempotencyKey }), 409, "conflict");
    await suite.org.admin.globalApiKeys.delete(taken.id);
    await expect(suite.org.admin.globalApiKeys.create({ name: taken.name, allowAllDeployments: true }, { idempotencyKey })).resolves.toMatchObject({ name: taken.name });
  });

  it("without the header, the same body twice is two requests (the second a 409)", async () => {
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    await suite.org.admin.globalApiKeys.create(body);
    await expectApiError(suite.org.admin.globalApiKeys.create(body), 409, "conflict");
  });

  it("returns 422 for an Idempotency-Key longer than 255 characters", async () => {
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey: "k".repeat(256) }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["Idempotency-Key"]);
  });

  it("keeps the replayable response sealed: the stored record does not hold the key", async () => {
    const idempotencyKey = randomUUID();
    const created = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey });
    const [record] = await suite.svc.db.query<{ status: number; sealed_response: string }>("SELECT status, sealed_response FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey);
    expect(record.status).toBe(201);
    expect(record.sealed_response).not.toContain(created.key);
    expect(record.sealed_response).not.toContain(created.name);
  });
});

describe("POST /api/v1/orgs/:org/platform-api-keys (Idempotency-Key)", () => {
  it("replays the first response and creates the key once", async () => {
    const name = uniqueName("p");
    const { first, second } = await postTwice("/platform-api-keys", { name, permission: "read_write" }, randomUUID());
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json).toEqual(first.json);
    expect(await keysNamed(name)).toBe(1);
  });
});

describe("POST /api/v1/orgs/:org/deployments/:id/keys (Idempotency-Key)", () => {
  it("replays the first response and creates the key once", async () => {
    const dep = await suite.org.deployment();
    const { first, second } = await postTwice(`/deployments/${dep.id}/keys`, { name: "ci" }, randomUUID());
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json).toEqual(first.json);
    expect(await suite.svc.db.count("SELECT count(*) FROM deployment_keys WHERE deployment_id = ?", dep.id)).toBe(1);
  });
});

describe("POST /api/v1/orgs/:org/deployments (Idempotency-Key)", () => {
  it("replays the first response and creates the deployment once", async () => {
    const name = uniqueName("d");
    const { first, second } = await postTwice("/deployments", { name }, randomUUID());
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json).toEqual(first.json);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(await deploymentsNamed(name)).toEqual([{ id: (first.json as { id: string }).id }]);
  });

  it("returns 422 naming Idempotency-Key when the same key comes with another body while the deployment stands, and creates nothing", async () => {
    const idempotencyKey = randomUUID();
    const first = await suite.org.admin.deployments.create({ name: uniqueName("d") }, { idempotencyKey });
    const otherName = uniqueName("d");
    const err = await expectApiError(suite.org.admin.deployments.create({ name: otherName }, { idempotencyKey }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["Idempotency-Key"]);
    expect(await deploymentsNamed(otherName)).toEqual([]);
    expect(await deploymentsNamed(first.name)).toEqual([{ id: first.id }]);
  });

  it("creates a new deployment, not the dead id, when the same key comes after the first was deleted", async () => {
    const idempotencyKey = randomUUID();
    const name = uniqueName("d");
    const first = await post("/deployments", { name }, idempotencyKey);
    const firstId = (first.json as { id: string }).id;
    await suite.org.admin.deployments.delete(firstId);
    const again = await post("/deployments", { name }, idempotencyKey);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBeUndefined();
    const againId = (again.json as { id: string }).id;
    expect(againId).not.toBe(firstId);
    expect(await deploymentsNamed(name)).toEqual([{ id: againId }]);
    // The new create is the one replayed from now on.
    expect((await post("/deployments", { name }, idempotencyKey)).json).toEqual(again.json);
  });

  it("takes another body with the same key once the first deployment was deleted (201)", async () => {
    const idempotencyKey = randomUUID();
    const first = await suite.org.admin.deployments.create({ name: uniqueName("d") }, { idempotencyKey });
    await suite.org.admin.deployments.delete(first.id);
    const renamed = await suite.org.admin.deployments.create({ name: uniqueName("d"), isActive: false }, { idempotencyKey });
    expect(renamed).toMatchObject({ isActive: false });
    expect(await deploymentsNamed(renamed.name)).toEqual([{ id: renamed.id }]);
    expect(await deploymentsNamed(first.name)).toEqual([]);
  });
  it("changes nothing when the request run anew after a delete is refused: the forgotten record stays until one succeeds", async () => {
    const idempotencyKey = randomUUID();
    const first = await suite.org.admin.deployments.create({ name: uniqueName("d") }, { idempotencyKey });
    await suite.org.admin.deployments.delete(first.id);
    const records = () => suite.svc.db.query<{ id: string }>("SELECT id FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey);
    const before = await records();
    const taken = await suite.org.admin.deployments.create({ name: uniqueName("d") });
    await expectApiError(suite.org.admin.deployments.create({ name: taken.name }, { idempotencyKey }), 409, "conflict");
    expect(await records()).toEqual(before);
  });

  it("still replays, and still refuses another body for, a record written before the fingerprint was sealed (its digest in the column)", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("d"), isActive: true }; // as validated, defaults in: what the digest was taken of
    const first = await post("/deployments", body, idempotencyKey);
    // The record as the previous version wrote it: the request's digest in the column, the bare body sealed.
    const [record] = await suite.svc.db.query<{ id: string; org_id: string }>("SELECT id, org_id FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey);
    const digest = createHash("sha256").update(`POST /api/v1/orgs/${suite.org.slug}/deployments\n${JSON.stringify(body)}`).digest("hex");
    const sealed = suite.svc.app.keyring.seal(JSON.stringify(first.json), `idempotency:${record.org_id}:${record.id}`);
    expect(await suite.svc.db.exec("UPDATE idempotency_records SET fingerprint = ?, sealed_response = ? WHERE id = ?", digest, sealed, record.id)).toBe(1);
    const replay = await post("/deployments", body, idempotencyKey);
    expect([replay.status, replay.headers["idempotent-replayed"]]).toEqual([201, "true"]);
    expect(replay.json).toEqual(first.json);
    expect((await post("/deployments", { name: uniqueName("d") }, idempotencyKey)).status).toBe(422);
    expect(await deploymentsNamed(body.name)).toHaveLength(1);
  });
});

describe("POST /api/v1/orgs/:org/llm-keys (Idempotency-Key)", () => {
  /** A create body for a provider no other test uses (one key per provider per org), its secret in the ledger. */
  const llmKey = (label = "LLM key") => ({ provider: uniqueName("provider"), label, apiKey: suite.ledger.add(providerSecret()) });

  it("replays the first response and stores the key once", async () => {
    const body = llmKey();
    const { first, second } = await postTwice("/llm-keys", body, randomUUID());
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json).toEqual(first.json);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(await llmKeysOf(body.provider)).toEqual([{ id: (first.json as { id: string }).id, label: body.label }]);
  });

  it("seals only what the API shows of the key (its hint), never the secret", async () => {
    const idempotencyKey = randomUUID();
    const body = llmKey();
    const created = await suite.org.admin.llmKeys.create(body, { idempotencyKey });
    const [record] = await suite.svc.db.query<{ id: string; org_id: string; sealed_response: string }>("SELECT id, org_id, sealed_response FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey);
    const sealed = suite.svc.app.keyring.open(record.sealed_response, `idempotency:${record.org_id}:${record.id}`);
    expect(sealed).not.toContain(body.apiKey);
    expect(JSON.parse(sealed)).toEqual(created);
    expect(Object.keys(created).sort()).toEqual(["createdAt", "id", "keyHint", "label", "provider", "rotatedAt", "status", "updatedAt", "version"]);
  });

  it("keeps no plain digest of the request: the record holds its fingerprint sealed, never a SHA-256 of the body with the secret", async () => {
    // A plain digest of a body holding a weak provider key, kept 24 h, would let whoever reads the database test guesses offline.
    const idempotencyKey = randomUUID();
    const body = llmKey();
    await suite.org.admin.llmKeys.create(body, { idempotencyKey });
    const [record] = await suite.svc.db.query<Record<string, unknown>>("SELECT * FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey);
    const digest = createHash("sha256").update(`POST /api/v1/orgs/${suite.org.slug}/llm-keys\n${JSON.stringify(body)}`).digest("hex");
    expect(JSON.stringify(record)).not.toContain(digest);
    expect(suite.svc.app.keyring.open(record.fingerprint as string, `idempotency-fingerprint:${record.org_id}:${record.id}`)).toBe(digest);
  });

  it("is refused, never run again, by an instance of the previous version (a rolling deploy, a rollback)", async () => {
    // The previous version opened the sealed response, checked it still stood, then compared the column with its request's digest.
    const idempotencyKey = randomUUID();
    const body = llmKey();
    const created = await suite.org.admin.llmKeys.create(body, { idempotencyKey });
    const [record] = await suite.svc.db.query<{ id: string; org_id: string; fingerprint: string; sealed_response: string }>("SELECT * FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey);
    const digest = createHash("sha256").update(`POST /api/v1/orgs/${suite.org.slug}/llm-keys\n${JSON.stringify(body)}`).digest("hex");
    expect(JSON.parse(suite.svc.app.keyring.open(record.sealed_response, `idempotency:${record.org_id}:${record.id}`))).toEqual(created);
    expect(record.fingerprint).not.toBe(digest);
  });

  it("returns 422 naming Idempotency-Key when the same key comes with another body while the key stands, and changes nothing", async () => {
    const idempotencyKey = randomUUID();
    const body = llmKey("first label");
    const first = await suite.org.admin.llmKeys.create(body, { idempotencyKey });
    const err = await expectApiError(suite.org.admin.llmKeys.create({ ...body, label: "second label" }, { idempotencyKey }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["Idempotency-Key"]);
    expect(await llmKeysOf(body.provider)).toEqual([{ id: first.id, label: "first label" }]);
  });

  it("stores a new key, not the dead id, when the same key comes after the first was deleted", async () => {
    const idempotencyKey = randomUUID();
    const body = llmKey();
    const first = await post("/llm-keys", body, idempotencyKey);
    const firstId = (first.json as { id: string }).id;
    await suite.org.admin.llmKeys.delete(firstId);
    const again = await post("/llm-keys", body, idempotencyKey);
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBeUndefined();
    const againId = (again.json as { id: string }).id;
    expect(againId).not.toBe(firstId);
    expect(await llmKeysOf(body.provider)).toEqual([{ id: againId, label: body.label }]);
    await expect(suite.org.admin.llmKeys.verify(againId, { apiKey: body.apiKey })).resolves.toEqual({ matches: true });
  });

  it("takes another body with the same key once the first was deleted (201): a key replaced for another provider", async () => {
    const idempotencyKey = randomUUID();
    const before = llmKey();
    const first = await suite.org.admin.llmKeys.create(before, { idempotencyKey });
    await suite.org.admin.llmKeys.delete(first.id);
    const after = llmKey();
    const replaced = await suite.org.admin.llmKeys.create(after, { idempotencyKey });
    expect(replaced.id).not.toBe(first.id);
    expect(await llmKeysOf(before.provider)).toEqual([]);
    expect(await llmKeysOf(after.provider)).toEqual([{ id: replaced.id, label: after.label }]);
  });
});

describe("POST /api/v1/orgs/:org/global-api-keys/:id/rotate (Idempotency-Key)", () => {
  it("rotates once: the replay returns the same new key and version", async () => {
    const dep = await suite.org.deployment();
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
    const { first, second } = await postTwice(`/global-api-keys/${key.id}/rotate`, { gracePeriodSeconds: 0 }, randomUUID());
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json).toEqual(first.json);
    expect(first.json).toMatchObject({ version: 2 });
    expect(await suite.svc.db.query("SELECT version FROM api_keys WHERE id = ?", key.id)).toEqual([{ version: 2 }]);
    await expect(suite.org.client().deployments.execute(dep.name, (first.json as { key: string }).key)).resolves.toMatchObject({ keyId: key.id });
  });

  it("treats a key first used more than 24 h ago as new: the rotation runs again", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const idempotencyKey = randomUUID();
    const first = await suite.org.admin.globalApiKeys.rotate(key.id, {}, { idempotencyKey });
    await expect(suite.org.admin.globalApiKeys.rotate(key.id, {}, { idempotencyKey })).resolves.toEqual(first);
    // No API moves time: age the record as 24 h and a second would.
    const aged = await suite.svc.db.exec("UPDATE idempotency_records SET created_at = created_at - ? WHERE idempotency_key = ?", 24 * 3600 * 1000 + 1000, idempotencyKey);
    expect(aged).toBe(1);
    const again = await suite.org.admin.globalApiKeys.rotate(key.id, {}, { idempotencyKey });
    expect(again.version).toBe(3);
    expect(again.key).not.toBe(first.key);
    expect(await suite.svc.db.count("SELECT count(*) FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey)).toBe(1);
  });

  it("returns 422 when the same key comes with another grace period", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const idempotencyKey = randomUUID();
    await suite.org.admin.globalApiKeys.rotate(key.id, { gracePeriodSeconds: 0 }, { idempotencyKey });
    await expectApiError(suite.org.admin.globalApiKeys.rotate(key.id, { gracePeriodSeconds: 60 }, { idempotencyKey }), 422, "validation_failed");
    expect(await suite.svc.db.query("SELECT version FROM api_keys WHERE id = ?", key.id)).toEqual([{ version: 2 }]);
  });
});

describe("POST /api/v1/orgs/:org/platform-api-keys/:id/rotate (Idempotency-Key)", () => {
  it("rotates once: the replay returns the same new key", async () => {
    const key = await suite.org.platformKey("read");
    const { first, second } = await postTwice(`/platform-api-keys/${key.id}/rotate`, {}, randomUUID());
    expect(second.json).toEqual(first.json);
    expect(await suite.svc.db.query("SELECT version FROM api_keys WHERE id = ?", key.id)).toEqual([{ version: 2 }]);
  });
});

describe("Idempotency-Key belongs to the caller", () => {
  it("never replays one admin's secret to another admin: the same key and body from another caller is a new request", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const first = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    const otherAdmin = suite.org.client(await suite.org.memberToken("admin"));
    // A new request: the name is taken, so 409, and above all not the first caller's key.
    const err = await expectApiError(otherAdmin.globalApiKeys.create(body, { idempotencyKey }), 409, "conflict");
    expect(err.message).not.toContain(first.key);
    const full = suite.org.client((await suite.org.platformKey("full_access")).key);
    await expectApiError(full.globalApiKeys.create(body, { idempotencyKey }), 409, "conflict");
    expect(await keysNamed(body.name)).toBe(1);
  });

  it("lets no caller claim another caller's key in advance: the provider's guessable rotate key still rotates", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const guessed = `rotate:${key.id}:from-v${key.version}`;
    const squatter = suite.org.client(await suite.org.memberToken("admin"));
    const squatted = await squatter.globalApiKeys.rotate(key.id, {}, { idempotencyKey: guessed });
    suite.ledger.add(squatted.key);
    const mine = await suite.org.admin.globalApiKeys.rotate(key.id, {}, { idempotencyKey: guessed });
    suite.ledger.add(mine.key);
    expect(mine.key).not.toBe(squatted.key);
    expect(mine.version).toBe(squatted.version + 1);
  });

  it("audits every replay as <action>.replayed, by the caller who replayed", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const created = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    const { items } = await suite.org.admin.auditEvents.list({ limit: 100, action: "global_api_key.create.replayed" });
    expect(items.filter((e) => e.target === created.id).map((e) => e.actor)).toEqual([expect.stringMatching(/^user:/), expect.stringMatching(/^user:/)]);
  });
});

describe("a replay never hands out a secret that no longer works", () => {
  it("runs a create anew when the key it created was deleted since", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const first = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    await suite.org.admin.globalApiKeys.delete(first.id);
    const again = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    suite.ledger.add(again.key);
    expect(again.id).not.toBe(first.id);
    await expect(suite.org.admin.keys.verify(again.key)).resolves.toMatchObject({ valid: true });
  });

  it("runs a rotation anew when the key was rotated again since, so the secret it answers works", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const idempotencyKey = randomUUID();
    const first = await suite.org.admin.globalApiKeys.rotate(key.id, {}, { idempotencyKey });
    suite.ledger.add((await suite.org.admin.globalApiKeys.rotate(key.id)).key);
    const again = await suite.org.admin.globalApiKeys.rotate(key.id, {}, { idempotencyKey });
    suite.ledger.add(again.key);
    expect(again.key).not.toBe(first.key);
    await expect(suite.org.admin.keys.verify(again.key)).resolves.toMatchObject({ valid: true });
    await expect(suite.org.admin.keys.verify(first.key)).resolves.toMatchObject({ valid: false });
  });
});

describe("the replay rules", () => {
  it("refuse, at registration, an idempotent route with no rule for when its replay still stands", () => {
    const unruled = { ...routes.createDeployment, audit: "deployment.copy" };
    expect(() => defineRoute(unruled, async () => Promise.reject(new Error("never runs")))).toThrow(/no rule says when a replay of "deployment.copy" still stands/);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
