import { createKey } from "@keyservice/pulumi/dist/runtime/idempotency";
import { aDayPasses } from "../helpers/idempotency";
import { expectNoSecretsInService } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import type { GlobalApiKeyOutputs } from "@keyservice/pulumi";
import { checkedInputs, configureRuntime, found, runtime } from "./runtime-helpers";

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
      expect(Date.parse(inputs!.rotationAnchor)).not.toBeNaN();
    });

    it("validates with the sdk's schema and reports each failure on the property that caused it, quoting the value", async () => {
      const result = await gak.check({}, { name: "", rotateAfter: "soon", rotationGracePeriod: "8d", expiresAt: "tomorrow", allowAllDeployments: true, deploymentIds: [deploymentId] });
      expect(result.inputs).toBeUndefined();
      expect(result.failures).toEqual([
        { property: "name", reason: 'name "" must not be empty.' },
        { property: "expiresAt", reason: 'expiresAt "tomorrow" must be an ISO-8601 instant with an offset, like 2026-12-31T23:59:59Z.' },
        { property: "deploymentIds", reason: `deploymentIds ["${deploymentId}"] must be empty when allowAllDeployments is true.` },
        { property: "rotateAfter", reason: 'rotateAfter "soon" must be a duration such as "90d", "12h", "30m" or "1h30m".' },
        { property: "rotationGracePeriod", reason: 'rotationGracePeriod "8d" (sent as gracePeriodSeconds 691200) must be 0 to 604800 (7 days).' },
      ]);
    });

    it("translates the request's field names and paths back to the resource's properties", async () => {
      const { failures } = await gak.check({}, { name: "ci", active: "yes", deploymentIds: [deploymentId, "not-an-id"], adoptExisting: "legacy" });
      expect(failures).toEqual([
        { property: "active", reason: 'active "yes" must be true or false (it is a string).' },
        { property: "deploymentIds", reason: 'deploymentIds[1] "not-an-id" must be an id (a UUID).' },
        { property: "adoptExisting", reason: 'adoptExisting "legacy" must be an id (a UUID).' },
      ]);
    });

    it("never quotes rotationTriggers, whose values may be secrets, nor attaches the failure to it (the engine would print its value)", async () => {
      const secret = ledger.add("trigger-secret-0b8d1f6e2c");
      const { failures } = await gak.check({}, { name: "ci", allowAllDeployments: true, rotationTriggers: { secret, nested: { deeper: secret } } });
      expect(failures).toEqual([{ property: "", reason: 'rotationTriggers["nested"] must be a string, number or boolean.' }]);
      expect(ledger.foundIn(JSON.stringify(failures))).toEqual([]);
      const { failures: notAMap } = await gak.check({}, { name: "ci", allowAllDeployments: true, rotationTriggers: secret });
      expect(notAMap).toEqual([{ property: "", reason: "rotationTriggers must be a map of names to values." }]);
    });

    it("never throws, whatever the engine sends", async () => {
      for (const news of [{}, { name: null, active: null, deploymentIds: [null], rotationTriggers: null }, { name: { a: 1 }, description: [1], expiresAt: 5, rotateAfter: false }]) {
        // Olds from state written by anything, even a malformed anchor.
        const result = await gak.check(JSON.parse('{"rotationAnchor": 5}'), news);
        expect(result.failures!.length).toBeGreaterThan(0);
      }
    });
    it("plans a rotation when rotateAfter has elapsed since the anchor, and says why", async () => {
      const olds = { rotationAnchor: new Date(Date.now() - 10_000).toISOString(), rotationReason: "created", rotationTriggers: { q: "1" } };
      const inputs = checkedInputs(await gak.check(olds, { name: "ci", allowAllDeployments: true, rotateAfter: "5s", rotationTriggers: { q: "1" } }));
      expect(inputs.rotationReason).toBe(`rotateAfter "5s" elapsed since ${olds.rotationAnchor}`);
      expect(inputs.rotationAnchor).not.toBe(olds.rotationAnchor);
    });

    it("keeps the anchor when nothing is due", async () => {
      const olds = { rotationAnchor: new Date().toISOString(), rotationReason: "created", rotationTriggers: { q: "1" } };
      const { inputs } = await gak.check(olds, { name: "ci", allowAllDeployments: true, rotateAfter: "90d", rotationTriggers: { q: "1" } });
      expect(inputs).toMatchObject({ rotationAnchor: olds.rotationAnchor, rotationReason: "created" });
    });
  });

  describe("create, read, update, delete", () => {
    let id: string;
    let state: GlobalApiKeyOutputs;

    it("create issues a working key and returns every output", async () => {
      const inputs = checkedInputs(await gak.check({}, { name: "ci", deploymentIds: [deploymentId], rotationTriggers: { q: "1" }, rotationGracePeriod: "1h" }));
      const created = await gak.create(inputs);
      id = created.id;
      state = created.outs;
      ledger.add(state.key);
      expect(state).toMatchObject({ name: "ci", active: true, version: 1, deploymentIds: [deploymentId] });
      expect(state.key).toMatch(/^ks_gak_/);
      // Never used yet: the output is unset, not null (the engine's Struct refuses undefined, so it is absent).
      expect("lastUsedAt" in state).toBe(false);
      await expect(svc.client(token, "prov").deployments.execute("invoices", state.key)).resolves.toMatchObject({ keyId: id });
    });

    it("diff reports no change for identical inputs, without a network call", async () => {
      const before = svc.logs().split('"msg":"request"').length;
      const inputs = checkedInputs(await gak.check(state, { name: "ci", deploymentIds: [deploymentId], rotationTriggers: { q: "1" }, rotationGracePeriod: "1h" }));
      await expect(gak.diff(id, state, inputs)).resolves.toEqual({ changes: false });
      expect(svc.logs().split('"msg":"request"').length).toBe(before);
    });

    it("update PATCHes changed fields in place without rotating", async () => {
      const inputs = checkedInputs(await gak.check(state, { name: "ci", description: "now described", active: false, deploymentIds: [deploymentId], rotationTriggers: { q: "1" }, rotationGracePeriod: "1h" }));
      expect((await gak.diff(id, state, inputs)).changes).toBe(true);
      const { outs } = await gak.update(id, state, inputs);
      expect(outs).toMatchObject({ description: "now described", active: false, version: 1, key: state.key });
      expect(await svc.client(token, "prov").globalApiKeys.get(id)).toMatchObject({ description: "now described", isActive: false });
      state = outs;
    });

    it("update rotates in place on a trigger change, with the grace period", async () => {
      const inputs = checkedInputs(await gak.check(state, { name: "ci", description: "now described", active: true, deploymentIds: [deploymentId], rotationTriggers: { q: "2" }, rotationGracePeriod: "1h" }));
      const { outs } = await gak.update(id, state, inputs);
      ledger.add(outs.key);
      expect(outs.key).not.toBe(state.key);
      expect(outs).toMatchObject({ version: 2, active: true, rotationReason: "rotationTriggers changed" });
      expect(Date.parse(String(outs.previousKeyExpiresAt)) - Date.now()).toBeGreaterThan(3_500_000);
      const admin = svc.client(token, "prov");
      await expect(admin.deployments.execute("invoices", state.key)).resolves.toMatchObject({ keyId: id });
      await expect(admin.deployments.execute("invoices", outs.key)).resolves.toMatchObject({ keyId: id });
      state = outs;
    });

    it("read shows lastUsedAt once the key was used, as an output only: the next diff plans nothing", async () => {
      await svc.client(token, "prov").deployments.execute("invoices", state.key);
      await svc.app.usage.flush();
      const read = found(await gak.read(id, state));
      expect(Date.parse(String(read.props.lastUsedAt))).not.toBeNaN();
      expect(read.inputs).not.toHaveProperty("lastUsedAt");
      const inputs = checkedInputs(await gak.check(read.inputs!, { name: "ci", description: "now described", active: true, deploymentIds: [deploymentId], rotationTriggers: { q: "2" }, rotationGracePeriod: "1h" }));
      await expect(gak.diff(id, read.props, inputs)).resolves.toEqual({ changes: false });
      state = read.props;
    });

    it("read keeps the secret and shows drift made outside the stack", async () => {
      await svc.client(token, "prov").globalApiKeys.update(id, { name: "renamed-outside" });
      const { id: readId, props } = found(await gak.read(id, state));
      expect(readId).toBe(id);
      expect(props).toMatchObject({ name: "renamed-outside", key: state.key, version: 2 });
      const inputs = checkedInputs(await gak.check(props, { name: "ci", description: "now described", deploymentIds: [deploymentId], rotationTriggers: { q: "2" }, rotationGracePeriod: "1h" }));
      expect((await gak.diff(id, props, inputs)).changes).toBe(true);
    });

    it("delete revokes the key, and a second delete (404) succeeds", async () => {
      await gak.delete(id, state);
      await expect(svc.client(token, "prov").keys.verify(state.key)).resolves.toMatchObject({ valid: false, code: "NOT_FOUND" });
      await expect(gak.delete(id, state)).resolves.toBeUndefined();
    });

    it("read of a key deleted outside the stack returns an empty id", async () => {
      await expect(gak.read(id, state)).resolves.toEqual({ id: "", props: {} });
    });
  });

  describe("converging after an answer was lost", () => {
    const program = { name: "lost-answer", allowAllDeployments: true, managedBy: "proj/stack/GlobalApiKey/lost-answer" };

    it("a create planned again (new rotation anchor) replays the first one: one key, and its secret works", async () => {
      const first = await gak.create(checkedInputs(await gak.check({}, program)));
      ledger.add(first.outs.key);
      // The next `pulumi up` plans anew (the engine never recorded the first): another anchor, the same resource.
      await new Promise((r) => setTimeout(r, 5));
      const again = checkedInputs(await gak.check({}, program));
      expect(again.rotationAnchor).not.toBe(first.outs.rotationAnchor);
      const second = await gak.create(again);
      expect(second.id).toBe(first.id);
      expect(second.outs.key).toBe(first.outs.key);
      const named = (await svc.client(token, "prov").globalApiKeys.list()).items.filter((k) => k.name === "lost-answer");
      expect(named).toHaveLength(1);
      await expect(svc.client(token, "prov").keys.verify(second.outs.key)).resolves.toMatchObject({ valid: true });
    });

    it("a create planned again more than 24 h later recovers the key: the same id, a new secret that works, the lost one refused", async () => {
      const nightly = { ...program, name: "lost-overnight", managedBy: "proj/stack/GlobalApiKey/lost-overnight" };
      const planned = checkedInputs(await gak.check({}, nightly));
      const lost = await gak.create(planned);
      ledger.add(lost.outs.key);
      // The next run is the next night's: the service keeps no answer past 24 h.
      expect(await aDayPasses(svc, createKey("global", "prov", planned))).toBe(1);
      const next = await gak.create(checkedInputs(await gak.check({}, nightly)));
      ledger.add(next.outs.key);
      expect(next.id).toBe(lost.id);
      expect(next.outs.version).toBe(2);
      await expect(svc.client(token, "prov").keys.verify(next.outs.key)).resolves.toMatchObject({ valid: true });
      await expect(svc.client(token, "prov").keys.verify(lost.outs.key)).resolves.toMatchObject({ valid: false });
      expect((await svc.client(token, "prov").globalApiKeys.list()).items.filter((k) => k.name === "lost-overnight")).toHaveLength(1);
    });

    it("another stack resource with the same inputs gets its own create (409 for the taken name), never the first one's secret", async () => {
      const other = checkedInputs(await gak.check({}, { ...program, managedBy: "proj/other-stack/GlobalApiKey/lost-answer" }));
      await expect(gak.create(other)).rejects.toThrow(/409/);
    });

    it("a refresh that finds the key rotated past the state's version plans a rotation, and the update leaves a working secret", async () => {
      const created = await gak.create(checkedInputs(await gak.check({}, { ...program, name: "rotated-away", managedBy: "proj/stack/GlobalApiKey/rotated-away" })));
      ledger.add(created.outs.key);
      // A rotation whose answer never reached the engine (grace 0): the state's secret no longer works.
      ledger.add((await svc.client(token, "prov").globalApiKeys.rotate(created.id, { gracePeriodSeconds: 0 })).key);
      await expect(svc.client(token, "prov").keys.verify(created.outs.key)).resolves.toMatchObject({ valid: false });
      const read = found(await gak.read(created.id, created.outs));
      expect(read.props).toMatchObject({ rotationAnchor: "", key: created.outs.key });
      const inputs = checkedInputs(await gak.check(read.inputs!, { ...program, name: "rotated-away", managedBy: "proj/stack/GlobalApiKey/rotated-away" }));
      expect(inputs.rotationReason).toMatch(/no longer the key's current one/);
      expect((await gak.diff(created.id, read.props, inputs)).changes).toBe(true);
      const { outs } = await gak.update(created.id, read.props, inputs);
      ledger.add(outs.key);
      await expect(svc.client(token, "prov").keys.verify(outs.key)).resolves.toMatchObject({ valid: true });
      // Converged: the next refresh and plan change nothing.
      const again = found(await gak.read(created.id, outs));
      const next = checkedInputs(await gak.check(again.inputs!, { ...program, name: "rotated-away", managedBy: "proj/stack/GlobalApiKey/rotated-away" }));
      await expect(gak.diff(created.id, again.props, next)).resolves.toEqual({ changes: false });
    });
  });

  describe("adoptExisting", () => {
    it("takes over a key made through the API by rotating it once", async () => {
      const admin = svc.client(token, "prov");
      const existing = await admin.globalApiKeys.create({ name: "legacy", allowAllDeployments: true });
      ledger.add(existing.key);
      const inputs = checkedInputs(await gak.check({}, { name: "legacy", allowAllDeployments: true, adoptExisting: existing.id, description: "adopted" }));
      expect(inputs.rotationReason).toBe("adopted");
      const { id, outs } = await gak.create(inputs);
      ledger.add(outs.key);
      expect(id).toBe(existing.id);
      expect(outs).toMatchObject({ version: 2, description: "adopted" });
      await expect(admin.keys.verify(existing.key)).resolves.toMatchObject({ valid: false });
      await expect(admin.keys.verify(outs.key)).resolves.toMatchObject({ valid: true, keyId: existing.id });
    });

    it("fails with a message naming adoptExisting when the id is unknown", async () => {
      const inputs = checkedInputs(await gak.check({}, { name: "ghost", allowAllDeployments: true, adoptExisting: "01a20815-ebbb-7e1d-8685-0c57f0f5eb60" }));
      await expect(gak.create(inputs)).rejects.toThrow(/adoptExisting "01a20815-ebbb-7e1d-8685-0c57f0f5eb60" is not a global API key of org "prov"/);
    });
  });

  describe("errors", () => {
    it("name the method, path, status and code, and never a secret", async () => {
      const first = await gak.create(checkedInputs(await gak.check({}, { name: "dup", allowAllDeployments: true })));
      ledger.add(first.outs.key);
      const again = checkedInputs(await gak.check({}, { name: "dup", allowAllDeployments: true }));
      const err: Error = await gak.create(again).catch((e) => e);
      expect(err.message).toMatch(/POST \/api\/v1\/orgs\/prov\/global-api-keys failed with 409 conflict/);
      expect(ledger.foundIn(err.message)).toEqual([]);
    });
  });

  it("leaves no issued secret in the service's database or logs", async () => {
    expect(ledger.size).toBeGreaterThan(4);
    await expectNoSecretsInService(ledger, svc);
  });
});
