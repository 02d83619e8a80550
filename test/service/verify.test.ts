import { VerifyKeyResult } from "@keyservice/sdk";
import { detailPaths, expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { newOrg, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";
import { pollUntil } from "../helpers/wait";

const suite = serviceSuite();

const verify = (key: string) => suite.org.admin.keys.verify(key);

describe("POST /api/v1/orgs/:org/keys/verify", () => {
  it("answers 200 VALID with kind and id for a global key", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const res = await rawRequest(suite.svc.url, "POST", `/api/v1/orgs/${suite.org.slug}/keys/verify`, { headers: { authorization: `Bearer ${suite.org.adminToken}` }, body: { key: key.key } });
    expect(res.status).toBe(200);
    expect(VerifyKeyResult.strict().parse(res.json)).toEqual({ valid: true, code: "VALID", kind: "global", keyId: key.id });
  });

  it("answers VALID for a platform key and a deployment key", async () => {
    const platform = await suite.org.platformKey("read");
    await expect(verify(platform.key)).resolves.toEqual({ valid: true, code: "VALID", kind: "platform", keyId: platform.id });
    const dep = await suite.org.deployment();
    const depKey = await suite.org.admin.deployments.keys.create(dep.id);
    await expect(verify(depKey.key)).resolves.toEqual({ valid: true, code: "VALID", kind: "deployment", keyId: depKey.id });
  });

  it("does not use the key: verifying a key leaves it as it was", async () => {
    const key = await suite.org.platformKey("read");
    const before = await suite.org.admin.platformApiKeys.get(key.id);
    await verify(key.key);
    await expect(suite.org.admin.platformApiKeys.get(key.id)).resolves.toEqual(before);
  });

  it("answers NOT_FOUND for an unknown key, a malformed key and a deleted key, with no kind or id", async () => {
    await expect(verify(`ks_gak_${"0".repeat(43)}`)).resolves.toEqual({ valid: false, code: "NOT_FOUND" });
    await expect(verify("hello")).resolves.toEqual({ valid: false, code: "NOT_FOUND" });
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await suite.org.admin.globalApiKeys.delete(key.id);
    await expect(verify(key.key)).resolves.toEqual({ valid: false, code: "NOT_FOUND" });
  });

  it("answers NOT_FOUND for another org's key", async () => {
    const other = await newOrg(suite.svc, suite.ledger);
    const theirs = await other.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    await expect(verify(theirs.key)).resolves.toEqual({ valid: false, code: "NOT_FOUND" });
    await expect(other.admin.keys.verify(theirs.key)).resolves.toMatchObject({ valid: true, code: "VALID" });
  });

  it("answers DISABLED for a deactivated key, and for a key of an inactive deployment", async () => {
    const key = await suite.org.platformKey("read_write", { isActive: false });
    await expect(verify(key.key)).resolves.toEqual({ valid: false, code: "DISABLED", kind: "platform", keyId: key.id });
    const dep = await suite.org.deployment();
    const depKey = await suite.org.admin.deployments.keys.create(dep.id);
    await suite.org.admin.deployments.update(dep.id, { isActive: false });
    await expect(verify(depKey.key)).resolves.toEqual({ valid: false, code: "DISABLED", kind: "deployment", keyId: depKey.id });
  });

  it("answers EXPIRED for a key past its expiresAt", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true, expiresAt: "2020-06-01T12:00:00+02:00" });
    await expect(verify(key.key)).resolves.toEqual({ valid: false, code: "EXPIRED", kind: "global", keyId: key.id });
  });

  it("answers VALID for a rotated-out secret in its grace period, EXPIRED after it, and NOT_FOUND without one", async () => {
    const graced = await suite.org.platformKey("read");
    const rotated = await suite.org.admin.platformApiKeys.rotate(graced.id, { gracePeriodSeconds: 1 });
    await expect(verify(graced.key)).resolves.toMatchObject({ valid: true, code: "VALID", keyId: graced.id });
    await expect(verify(rotated.key)).resolves.toMatchObject({ valid: true, code: "VALID", keyId: graced.id });
    await pollUntil(() => verify(graced.key), (r) => r.code !== "VALID", { what: "the grace period to end" });
    await expect(verify(graced.key)).resolves.toEqual({ valid: false, code: "EXPIRED", kind: "platform", keyId: graced.id });
    const abrupt = await suite.org.platformKey("read");
    await suite.org.admin.platformApiKeys.rotate(abrupt.id);
    await expect(verify(abrupt.key)).resolves.toEqual({ valid: false, code: "NOT_FOUND" });
  });

  it("lets a full_access key verify, and returns 403 to read_write, read and member callers", async () => {
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    const full = suite.org.client((await suite.org.platformKey("full_access")).key);
    await expect(full.keys.verify(key.key)).resolves.toMatchObject({ code: "VALID" });
    for (const token of [(await suite.org.platformKey("read_write")).key, (await suite.org.platformKey("read")).key, await suite.org.memberToken()]) {
      await expectApiError(suite.org.client(token).keys.verify(key.key), 403, "forbidden");
    }
  });

  it("returns 422 for an empty or missing key", async () => {
    const err = await expectApiError(verify(""), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["key"]);
    const missing = await expectApiError(suite.org.admin.http.call("verifyKey", { body: {} }), 422, "validation_failed");
    expect(detailPaths(missing)).toEqual(["key"]);
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
