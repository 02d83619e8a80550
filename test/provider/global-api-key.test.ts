import { expectNoSecretsInService } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { configureRuntime, runtime } from "./runtime-helpers";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("GlobalApiKey provider methods against a live service", () => {
  let svc: TestService;
  let token: string;
  let deploymentId: string;
  const ledger = new SecretLedger();
  const gak = runtime("GlobalApiKey");

  beforeAll(async () => {
    svc = await startTestService();
    token = ledger.add((await svc.bootstrap("prov")).adminToken);
    configureRuntime(svc, "prov", token);
    deploymentId = (await svc.client(token, "prov").deployments.create({ name: "invoices" })).id;
  });
  afterAll(() => svc.close());

  describe("check", () => {
    it("applies defaults and plans the first secret", async () => {
      const { inputs, failures } = await gak.check({}, { name: "ci", deploymentIds: [deploymentId] });
      expect(failures).toBeUndefined();
      expect(inputs).toMatchObject({ name: "ci", active: true, allowAllDeployments: false, rotationGracePeriod: "0s", rotationReason: "created" });
      expect(Date.parse(String(inputs!.rotationAnchor))).not.toBeNaN();
    });

    it("returns one failure per bad field, quoting the value", async () => {
      const { failures } = await gak.check({}, { name: "", rotateAfter: "soon", rotationGracePeriod: "8d", expiresAt: "tomorrow", allowAllDeployments: true, deploymentIds: [deploymentId] });
      const byProperty = Object.fromEntries(failures!.map((f) => [f.property, f.reason]));
      expect(Object.keys(byProperty).sort()).toEqual(["deploymentIds", "expiresAt", "name", "rotateAfter", "rotationGracePeriod"]);
      expect(byProperty.rotateAfter).toContain('"soon"');
      expect(byProperty.expiresAt).toContain('"tomorrow"');
    });

    it("does not validate values unknown during preview", async () => {
      const { failures } = await gak.check({}, { name: "ci", deploymentIds: UNKNOWN, rotateAfter: UNKNOWN });
      expect(failures).toBeUndefined();
    });

    it("plans a rotation when rotateAfter has elapsed since the anchor, and says why", async () => {
      const olds = { rotationAnchor: new Date(Date.now() - 10_000).toISOString(), rotationReason: "created", rotationTriggers: { q: "1" } };
      const { inputs } = await gak.check(olds, { name: "ci", allowAllDeployments: true, rotateAfter: "5s", rotationTriggers: { q: "1" } });
      expect(inputs!.rotationReason).toBe(`rotateAfter "5s" elapsed since ${olds.rotationAnchor}`);
      expect(inputs!.rotationAnchor).not.toBe(olds.rotationAnchor);
    });

    it("keeps the anchor when nothing is due", async () => {
      const olds = { rotationAnchor: new Date().toISOString(), rotationReason: "created", rotationTriggers: { q: "1" } };
      const { inputs } = await gak.check(olds, { name: "ci", allowAllDeployments: true, rotateAfter: "90d", rotationTriggers: { q: "1" } });
      expect(inputs).toMatchObject({ rotationAnchor: olds.rotationAnchor, rotationReason: "created" });
    });
  });

  describe("create, read, update, delete", () => {
    let id: string;
    let state: Record<string, unknown>;

    it("create issues a working key and returns every output", async () => {
      const { inputs } = await gak.check({}, { name: "ci", deploymentIds: [deploymentId], rotationTriggers: { q: "1" }, rotationGracePeriod: "1h" });
      const created = await gak.create(inputs!);
      id = created.id;
      state = created.outs;
      ledger.add(state.key as string);
      expect(state).toMatchObject({ name: "ci", active: true, version: 1, deploymentIds: [deploymentId] });
      expect(String(state.key)).toMatch(/^ks_gak_/);
      await expect(svc.client(token, "prov").deployments.execute("invoices", state.key as string)).resolves.toMatchObject({ keyId: id });
    });

    it("diff reports no change for identical inputs, without a network call", async () => {
      const before = svc.logs().split('"msg":"request"').length;
      const { inputs } = await gak.check(state, { name: "ci", deploymentIds: [deploymentId], rotationTriggers: { q: "1" }, rotationGracePeriod: "1h" });
      await expect(gak.diff(id, state, inputs!)).resolves.toEqual({ changes: false });
      expect(svc.logs().split('"msg":"request"').length).toBe(before);
    });

    it("update PATCHes changed fields in place without rotating", async () => {
      const { inputs } = await gak.check(state, { name: "ci", description: "now described", active: false, deploymentIds: [deploymentId], rotationTriggers: { q: "1" }, rotationGracePeriod: "1h" });
      expect((await gak.diff(id, state, inputs!)).changes).toBe(true);
      const { outs } = await gak.update(id, state, inputs!);
      expect(outs).toMatchObject({ description: "now described", active: false, version: 1, key: state.key });
      expect(await svc.client(token, "prov").globalApiKeys.get(id)).toMatchObject({ description: "now described", isActive: false });
      state = outs;
    });

    it("update rotates in place on a trigger change, with the grace period", async () => {
      const { inputs } = await gak.check(state, { name: "ci", description: "now described", active: true, deploymentIds: [deploymentId], rotationTriggers: { q: "2" }, rotationGracePeriod: "1h" });
      const { outs } = await gak.update(id, state, inputs!);
      ledger.add(outs.key as string);
      expect(outs.key).not.toBe(state.key);
      expect(outs).toMatchObject({ version: 2, active: true, rotationReason: "rotationTriggers changed" });
      expect(Date.parse(String(outs.previousKeyExpiresAt)) - Date.now()).toBeGreaterThan(3_500_000);
      const admin = svc.client(token, "prov");
      await expect(admin.deployments.execute("invoices", state.key as string)).resolves.toMatchObject({ keyId: id });
      await expect(admin.deployments.execute("invoices", outs.key as string)).resolves.toMatchObject({ keyId: id });
      state = outs;
    });

    it("read keeps the secret and shows drift made outside the stack", async () => {
      await svc.client(token, "prov").globalApiKeys.update(id, { name: "renamed-outside" });
      const { id: readId, props } = await gak.read(id, state);
      expect(readId).toBe(id);
      expect(props).toMatchObject({ name: "renamed-outside", key: state.key, version: 2 });
      const { inputs } = await gak.check(props!, { name: "ci", description: "now described", deploymentIds: [deploymentId], rotationTriggers: { q: "2" }, rotationGracePeriod: "1h" });
      expect((await gak.diff(id, props!, inputs!)).changes).toBe(true);
    });

    it("delete revokes the key, and a second delete (404) succeeds", async () => {
      await gak.delete(id, state);
      await expect(svc.client(token, "prov").keys.verify(state.key as string)).resolves.toMatchObject({ valid: false, code: "NOT_FOUND" });
      await expect(gak.delete(id, state)).resolves.toBeUndefined();
    });

    it("read of a key deleted outside the stack returns an empty id", async () => {
      await expect(gak.read(id, state)).resolves.toEqual({ id: "", props: {} });
    });
  });

  describe("adoptExisting", () => {
    it("takes over a key made through the API by rotating it once", async () => {
      const admin = svc.client(token, "prov");
      const existing = await admin.globalApiKeys.create({ name: "legacy", allowAllDeployments: true });
      ledger.add(existing.key);
      const { inputs } = await gak.check({}, { name: "legacy", allowAllDeployments: true, adoptExisting: existing.id, description: "adopted" });
      expect(inputs!.rotationReason).toBe("adopted");
      const { id, outs } = await gak.create(inputs!);
      ledger.add(outs.key as string);
      expect(id).toBe(existing.id);
      expect(outs).toMatchObject({ version: 2, description: "adopted" });
      await expect(admin.keys.verify(existing.key)).resolves.toMatchObject({ valid: false });
      await expect(admin.keys.verify(outs.key as string)).resolves.toMatchObject({ valid: true, keyId: existing.id });
    });

    it("fails with a message naming adoptExisting when the id is unknown", async () => {
      const { inputs } = await gak.check({}, { name: "ghost", allowAllDeployments: true, adoptExisting: "01a20815-ebbb-7e1d-8685-0c57f0f5eb60" });
      await expect(gak.create(inputs!)).rejects.toThrow(/adoptExisting "01a20815-ebbb-7e1d-8685-0c57f0f5eb60" is not a global API key of org "prov"/);
    });
  });

  describe("errors", () => {
    it("name the method, path, status and code, and never a secret", async () => {
      const { inputs } = await gak.check({}, { name: "dup", allowAllDeployments: true });
      const first = await gak.create(inputs!);
      ledger.add(first.outs.key as string);
      const { inputs: again } = await gak.check({}, { name: "dup", allowAllDeployments: true });
      const err: Error = await gak.create(again!).catch((e) => e);
      expect(err.message).toMatch(/POST \/api\/v1\/orgs\/prov\/global-api-keys failed with 409 conflict/);
      expect(ledger.foundIn(err.message)).toEqual([]);
    });
  });

  it("leaves no issued secret in the service's database or logs", async () => {
    expect(ledger.size).toBeGreaterThan(4);
    await expectNoSecretsInService(ledger, svc);
  });
});
