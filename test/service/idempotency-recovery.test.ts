import { randomUUID } from "node:crypto";
import { detailPaths, expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { aDayPasses as recordsAge } from "../helpers/idempotency";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";
import { providerSecret } from "./llm-keys/support";

/**
 * A create whose answer was lost, sent again by the same caller with the same Idempotency-Key more
 * than 24 h later (a nightly stack's next run, a pipeline after a weekend): the record's answer and
 * its secret are gone, and the row the create made is recovered, never created twice or refused
 * with a 409 on its own name.
 */
const suite = serviceSuite();

/** Moves a record past its 24 h and purges, as a day passing would. */
async function aDayPasses(idempotencyKey: string): Promise<void> {
  expect(await recordsAge(suite.svc, idempotencyKey)).toBe(1);
}

const recordOf = async (idempotencyKey: string) =>
  (await suite.svc.db.query<{ sealed_response: string; target_id: string | null }>("SELECT sealed_response, target_id FROM idempotency_records WHERE idempotency_key = ?", idempotencyKey))[0];

const recovered = async (action: string, target: string) => (await suite.org.admin.auditEvents.list({ limit: 100, action: `${action}.recovered` })).items.filter((e) => e.target === target);

function post(path: string, body: unknown, idempotencyKey: string) {
  return rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}${path}`, { headers: { authorization: `Bearer ${suite.org.adminToken}`, "idempotency-key": idempotencyKey }, body });
}

describe("a global API key's create, asked again after 24 h", () => {
  it("keeps, after 24 h, only the id of the key it made: the answer and its secret are purged", async () => {
    const idempotencyKey = randomUUID();
    const lost = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey });
    expect((await recordOf(idempotencyKey)).target_id).toBe(lost.id);
    await aDayPasses(idempotencyKey);
    expect(await recordOf(idempotencyKey)).toEqual({ sealed_response: "", target_id: lost.id });
  });

  it("recovers the key the lost create made: the same id, a new secret that works, the lost one revoked, one key under the name", async () => {
    const dep = await suite.org.deployment();
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), deploymentIds: [dep.id] };
    const lost = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    await aDayPasses(idempotencyKey);

    const again = await post("/global-api-keys", body, idempotencyKey);
    expect(again.status).toBe(201);
    const key = again.json as { id: string; key: string; version: number; deploymentIds: string[] };
    suite.ledger.add(key.key);
    expect(key).toMatchObject({ id: lost.id, version: 2, deploymentIds: [dep.id] });
    expect(again.headers["idempotent-replayed"]).toBeUndefined();
    await expect(suite.org.client().deployments.execute(dep.name, key.key)).resolves.toMatchObject({ keyId: lost.id });
    await expect(suite.org.admin.keys.verify(lost.key)).resolves.toMatchObject({ valid: false });
    expect(await suite.svc.db.count("SELECT count(*) FROM api_keys WHERE name = ?", body.name)).toBe(1);
    expect((await recovered("global_api_key.create", lost.id)).map((e) => e.actor)).toEqual([expect.stringMatching(/^user:/)]);

    // The recovery is itself replayed, never recovered twice: a retry gets the same secret.
    const retry = await post("/global-api-keys", body, idempotencyKey);
    expect(retry.json).toEqual(key);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
  });

  it("recovers once when two retries race: one new secret, answered to both", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const lost = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    const [a, b] = await Promise.all([post("/global-api-keys", body, idempotencyKey), post("/global-api-keys", body, idempotencyKey)]);
    suite.ledger.add((a.json as { key: string }).key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json).toEqual(a.json);
    expect(await suite.svc.db.query("SELECT version FROM api_keys WHERE id = ?", lost.id)).toEqual([{ version: 2 }]);
  });

  it("returns 422 naming Idempotency-Key when the request differs from the lost one, and changes nothing", async () => {
    const idempotencyKey = randomUUID();
    const lost = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    const err = await expectApiError(suite.org.admin.globalApiKeys.create({ name: lost.name, allowAllDeployments: true, description: "other" }, { idempotencyKey }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["Idempotency-Key"]);
    await expect(suite.org.admin.keys.verify(lost.key)).resolves.toMatchObject({ valid: true });
    expect(await suite.svc.db.query("SELECT version FROM api_keys WHERE id = ?", lost.id)).toEqual([{ version: 1 }]);
  });

  it("forgets the record once the key is deleted, and a create with the same key then makes a new key", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const lost = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    await suite.org.admin.globalApiKeys.delete(lost.id);
    await aDayPasses(idempotencyKey);
    expect(await recordOf(idempotencyKey)).toBeUndefined();
    const again = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    expect(again.id).not.toBe(lost.id);
    expect(again.version).toBe(1);
  });

  it("is not recovered by another caller with the same key and body: that is a new request (409 on the name)", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const lost = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    const otherAdmin = suite.org.client(await suite.org.memberToken("admin"));
    await expectApiError(otherAdmin.globalApiKeys.create(body, { idempotencyKey }), 409, "conflict");
    await expect(suite.org.admin.keys.verify(lost.key)).resolves.toMatchObject({ valid: true });
  });
});

describe("what is never recovered: a secret someone may hold, a request that differs, a caller that is gone", () => {
  /** A create of a global key with a lost answer, a day ago: its key and body. */
  async function lostGlobalKey() {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("g"), allowAllDeployments: true };
    const lost = await suite.org.admin.globalApiKeys.create(body, { idempotencyKey });
    return { idempotencyKey, body, lost };
  }

  it("a key used since its create: the request runs anew (409 on the name) and the secret in use keeps working", async () => {
    const dep = await suite.org.deployment();
    const { idempotencyKey, body, lost } = await lostGlobalKey();
    await suite.org.client().deployments.execute(dep.name, lost.key);
    await suite.svc.app.usage.flush();
    await aDayPasses(idempotencyKey);
    await expectApiError(suite.org.admin.globalApiKeys.create(body, { idempotencyKey }), 409, "conflict");
    await expect(suite.org.client().deployments.execute(dep.name, lost.key)).resolves.toMatchObject({ keyId: lost.id });
  });

  it("a key rotated since its create: 409, and the rotated secret keeps working", async () => {
    const { idempotencyKey, body, lost } = await lostGlobalKey();
    const rotated = await suite.org.admin.globalApiKeys.rotate(lost.id, { gracePeriodSeconds: 0 });
    await aDayPasses(idempotencyKey);
    await expectApiError(suite.org.admin.globalApiKeys.create(body, { idempotencyKey }), 409, "conflict");
    await expect(suite.org.admin.keys.verify(rotated.key)).resolves.toMatchObject({ valid: true });
  });

  it("a member whose token was rotated since: 409, and its token keeps working", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("m"), role: "member" as const };
    const lost = await suite.org.admin.members.create(body, { idempotencyKey });
    const rotated = await suite.org.admin.members.rotateToken(lost.id, { gracePeriodSeconds: 0 });
    await aDayPasses(idempotencyKey);
    await expectApiError(suite.org.admin.members.create(body, { idempotencyKey }), 409, "conflict");
    await expect(suite.org.client(rotated.token).whoami()).resolves.toMatchObject({ id: lost.id });
  });

  it("a member rotated with the clock stepped back since its create (or within its first millisecond): still seen as rotated (409), its token kept", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("m"), role: "member" as const };
    const lost = await suite.org.admin.members.create(body, { idempotencyKey });
    // The member made "later" than the rotation that follows: a clock that stepped back in between.
    await suite.svc.db.exec("UPDATE users SET created_at = created_at + 60000 WHERE id = ?", lost.id);
    const rotated = await suite.org.admin.members.rotateToken(lost.id, { gracePeriodSeconds: 0 });
    await aDayPasses(idempotencyKey);
    await expectApiError(suite.org.admin.members.create(body, { idempotencyKey }), 409, "conflict");
    await expect(suite.org.client(rotated.token).whoami()).resolves.toMatchObject({ id: lost.id });
  });

  it("an LLM key whose secret was replaced since: 409 on the provider, the replaced secret kept", async () => {
    const idempotencyKey = randomUUID();
    const body = { provider: uniqueName("provider"), label: "LLM key", apiKey: suite.ledger.add(providerSecret()) };
    const lost = await suite.org.admin.llmKeys.create(body, { idempotencyKey });
    const replacement = suite.ledger.add(providerSecret());
    await suite.org.admin.llmKeys.update(lost.id, { apiKey: replacement });
    await aDayPasses(idempotencyKey);
    await expectApiError(suite.org.admin.llmKeys.create(body, { idempotencyKey }), 409, "conflict");
    await expect(suite.org.admin.llmKeys.verify(lost.id, { apiKey: replacement })).resolves.toEqual({ matches: true });
  });

  it("a member asked again with another body: 422, no rotation, the first token still works", async () => {
    const idempotencyKey = randomUUID();
    const lost = await suite.org.admin.members.create({ name: uniqueName("m"), role: "member" }, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    const err = await expectApiError(suite.org.admin.members.create({ name: lost.name, role: "admin" }, { idempotencyKey }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["Idempotency-Key"]);
    await expect(suite.org.client(lost.token).whoami()).resolves.toMatchObject({ id: lost.id });
    expect((await suite.org.admin.auditEvents.list({ limit: 100, action: "member.rotate_token" })).items.filter((e) => e.target === lost.id)).toEqual([]);
  });

  it("a caller whose tier was lowered since: refused (403) before anything runs, the key untouched", async () => {
    const caller = await suite.org.platformKey("full_access");
    const client = suite.org.client(caller.key);
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("p"), permission: "read" as const };
    const lost = await client.platformApiKeys.create(body, { idempotencyKey });
    await suite.org.admin.platformApiKeys.update(caller.id, { permission: "read_write" });
    await aDayPasses(idempotencyKey);
    await expectApiError(client.platformApiKeys.create(body, { idempotencyKey }), 403, "forbidden");
    await expect(suite.org.admin.keys.verify(lost.key)).resolves.toMatchObject({ valid: true });
  });

  it("a caller deleted since: its records are purged, none is kept for a caller that cannot come back", async () => {
    const caller = await suite.org.platformKey("full_access");
    const idempotencyKey = randomUUID();
    await suite.org.client(caller.key).globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true }, { idempotencyKey });
    await suite.org.admin.platformApiKeys.delete(caller.id);
    await aDayPasses(idempotencyKey);
    expect(await recordOf(idempotencyKey)).toBeUndefined();
  });

  it("a deployment key's create (no Pulumi resource makes one): its record is deleted whole after 24 h, and the request runs anew", async () => {
    const dep = await suite.org.deployment();
    const idempotencyKey = randomUUID();
    const first = await suite.org.admin.deployments.keys.create(dep.id, {}, { idempotencyKey });
    expect((await recordOf(idempotencyKey)).target_id).toBeNull();
    await aDayPasses(idempotencyKey);
    expect(await recordOf(idempotencyKey)).toBeUndefined();
    const again = await suite.org.admin.deployments.keys.create(dep.id, {}, { idempotencyKey });
    expect(again.id).not.toBe(first.id);
  });
});

describe("a rotation's record after 24 h", () => {
  it("is deleted whole: a rotation is never recovered, it runs again", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const idempotencyKey = randomUUID();
    await suite.org.admin.globalApiKeys.rotate(key.id, {}, { idempotencyKey });
    expect((await recordOf(idempotencyKey)).target_id).toBeNull();
    await aDayPasses(idempotencyKey);
    expect(await recordOf(idempotencyKey)).toBeUndefined();
  });
});

describe("the other creates the Pulumi provider makes, asked again after 24 h", () => {
  it("a platform API key: the same id, a new secret that works, the lost one revoked", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("p"), permission: "read" as const };
    const lost = await suite.org.admin.platformApiKeys.create(body, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    const again = await suite.org.admin.platformApiKeys.create(body, { idempotencyKey });
    expect(again).toMatchObject({ id: lost.id, version: 2, permission: "read" });
    await expect(suite.org.client(again.key).whoami()).resolves.toMatchObject({ kind: "platform", id: lost.id });
    await expect(suite.org.admin.keys.verify(lost.key)).resolves.toMatchObject({ valid: false });
    expect(await recovered("platform_api_key.create", lost.id)).toHaveLength(1);
  });

  it("a member: the same member, a new token that works, the lost one revoked", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("m"), role: "member" as const };
    const lost = await suite.org.admin.members.create(body, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    const again = await suite.org.admin.members.create(body, { idempotencyKey });
    expect(again.id).toBe(lost.id);
    expect(again.token).not.toBe(lost.token);
    await expect(suite.org.client(again.token).whoami()).resolves.toMatchObject({ kind: "user", id: lost.id });
    await expectApiError(suite.org.client(lost.token).whoami(), 401, "unauthorized");
    expect(await suite.svc.db.count("SELECT count(*) FROM users WHERE name = ?", body.name)).toBe(1);
  });

  it("a deployment: the same deployment, once", async () => {
    const idempotencyKey = randomUUID();
    const body = { name: uniqueName("dep"), isActive: true };
    const lost = await suite.org.admin.deployments.create(body, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    await expect(suite.org.admin.deployments.create(body, { idempotencyKey })).resolves.toEqual(lost);
    expect(await suite.svc.db.count("SELECT count(*) FROM deployments WHERE name = ?", body.name)).toBe(1);
    expect(await recovered("deployment.create", lost.id)).toHaveLength(1);
  });

  it("an LLM key: the same key, still opening with the secret the stack holds", async () => {
    const idempotencyKey = randomUUID();
    const body = { provider: uniqueName("provider"), label: "LLM key", apiKey: suite.ledger.add(providerSecret()) };
    const lost = await suite.org.admin.llmKeys.create(body, { idempotencyKey });
    await aDayPasses(idempotencyKey);
    await expect(suite.org.admin.llmKeys.create(body, { idempotencyKey })).resolves.toEqual(lost);
    await expect(suite.org.admin.llmKeys.verify(lost.id, { apiKey: body.apiKey })).resolves.toEqual({ matches: true });
    expect(await suite.svc.db.count("SELECT count(*) FROM llm_keys WHERE provider = ?", body.provider)).toBe(1);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
