import type { MemberInputs, MemberOutputs } from "@keyservice/pulumi";
import { createKey } from "@keyservice/pulumi/dist/runtime/idempotency";
import { aDayPasses } from "../helpers/idempotency";
import { expectNoSecretsInService } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { pollUntil, statusOf } from "../helpers/wait";
import { checkedInputs, configureRuntime, found, runtime } from "./runtime-helpers";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ORG = "memprov";

describe("Member provider methods against a live service", () => {
  let svc: TestService;
  let adminToken: string;
  const ledger = new SecretLedger();
  const member = runtime("Member");

  /** The HTTP status of listing members with `token` as the bearer (any member may). */
  const listStatus = (token: string, org = ORG) => statusOf(svc.client(token, org).members.list());

  beforeAll(async () => {
    svc = await startTestService();
    adminToken = ledger.add((await svc.bootstrap(ORG)).adminToken);
    configureRuntime(svc, ORG, adminToken);
  });
  afterAll(() => svc.close());

  describe("check", () => {
    it("applies defaults and plans the first token", async () => {
      const inputs = checkedInputs(await member.check({}, { name: "ci" }));
      expect(inputs).toMatchObject({ name: "ci", role: "member", rotationGracePeriod: "0s", rotationReason: "created" });
      expect(Date.parse(inputs.rotationAnchor)).not.toBeNaN();
    });

    it("validates with the sdk's CreateMemberRequest and the rotation knobs, one failure per property, quoting the value", async () => {
      const { inputs, failures } = await member.check({}, { name: " ci", role: "owner", rotateAfter: "monthly", rotationGracePeriod: "2w" });
      expect(inputs).toBeUndefined();
      expect(failures).toEqual([
        { property: "name", reason: 'name " ci" must not start or end with spaces.' },
        { property: "role", reason: 'role "owner" must be "admin" or "member".' },
        { property: "rotateAfter", reason: 'rotateAfter "monthly" must be a duration such as "90d", "12h", "30m" or "1h30m".' },
        { property: "rotationGracePeriod", reason: 'rotationGracePeriod "2w" (sent as gracePeriodSeconds 1209600) must be 0 to 604800 (7 days).' },
      ]);
    });

    it("skips values unknown during preview, and never quotes a trigger", async () => {
      expect((await member.check({}, { name: UNKNOWN, role: UNKNOWN, rotationTriggers: { q: UNKNOWN } })).failures).toBeUndefined();
      const secret = ledger.add("member-trigger-secret-3c9e1a");
      const { failures } = await member.check({}, { name: "ci", rotationTriggers: { secret, bad: [secret] } });
      expect(failures).toEqual([{ property: "", reason: 'rotationTriggers["bad"] must be a string, number or boolean.' }]);
      expect(ledger.foundIn(JSON.stringify(failures))).toEqual([]);
    });

    it("never throws, whatever the engine sends", async () => {
      for (const news of [{ name: null }, { name: 7, role: ["admin"], rotationTriggers: [1], rotateAfter: {} }]) {
        await expect(member.check({}, news)).resolves.toMatchObject({ failures: expect.any(Array) });
      }
    });
  });

  describe("create, read, update, delete", () => {
    let id: string;
    let state: MemberOutputs;
    let planned: MemberInputs;
    const settings = { name: "ci", rotationTriggers: { q: "1" }, rotationGracePeriod: "1h" };

    it("create issues a member with a working token, and returns every output", async () => {
      const inputs = checkedInputs(await member.check({}, settings));
      planned = inputs;
      const created = await member.create(inputs);
      id = created.id;
      state = created.outs;
      ledger.add(state.token);
      expect(state).toMatchObject({ name: "ci", role: "member", rotationReason: "created", rotationAnchor: inputs.rotationAnchor });
      expect(state.token).toMatch(/^ks_usr_/);
      expect(Date.parse(state.createdAt)).not.toBeNaN();
      // Never used yet: unset (the engine's Struct refuses undefined, so it is absent).
      expect("lastUsedAt" in state).toBe(false);
      await expect(svc.client(adminToken, ORG).members.get(id)).resolves.toMatchObject({ name: "ci", role: "member" });
      expect(await listStatus(state.token)).toBe(200);
      // A member, not an admin: it may not create members.
      expect(await statusOf(svc.client(state.token, ORG).members.create({ name: "nope", role: "member" }))).toBe(403);
    });

    it("create sends an Idempotency-Key: a retry of the same plan returns the same member and token", async () => {
      const again = await member.create(planned);
      expect(again.id).toBe(id);
      expect(again.outs.token).toBe(state.token);
      const named = (await svc.client(adminToken, ORG).members.list()).items.filter((m) => m.name === "ci");
      expect(named).toHaveLength(1);
    });

    it("diff reports no change for the same inputs, without a network call", async () => {
      const before = svc.logs().split('"msg":"request"').length;
      const inputs = checkedInputs(await member.check(state, settings));
      await expect(member.diff(id, state, inputs)).resolves.toEqual({ changes: false });
      expect(svc.logs().split('"msg":"request"').length).toBe(before);
    });

    it("update renames and promotes in place, keeping the token", async () => {
      const inputs = checkedInputs(await member.check(state, { ...settings, name: "ci-bot", role: "admin" }));
      expect((await member.diff(id, state, inputs)).changes).toBe(true);
      const { outs } = await member.update(id, state, inputs);
      expect(outs).toMatchObject({ name: "ci-bot", role: "admin", token: state.token, rotationReason: "created" });
      await expect(svc.client(adminToken, ORG).members.get(id)).resolves.toMatchObject({ name: "ci-bot", role: "admin" });
      state = outs;
    });

    it("update rotates the token in place when a trigger changes; the old token works through the grace period", async () => {
      const inputs = checkedInputs(await member.check(state, { ...settings, name: "ci-bot", role: "admin", rotationTriggers: { q: "2" }, rotationGracePeriod: "2s" }));
      expect(inputs.rotationReason).toBe("rotationTriggers changed");
      const { outs } = await member.update(id, state, inputs);
      ledger.add(outs.token);
      expect(outs.token).not.toBe(state.token);
      expect(outs).toMatchObject({ name: "ci-bot", role: "admin", rotationReason: "rotationTriggers changed" });
      expect(await listStatus(outs.token)).toBe(200);
      expect(await listStatus(state.token)).toBe(200);
      await pollUntil(() => listStatus(state.token), (status) => status === 401, { timeoutMs: 10_000, intervalMs: 100, what: "the old token to be refused" });
      expect(await listStatus(outs.token)).toBe(200);
      state = outs;
    });

    it("read shows lastUsedAt once the token was used, as an output only: the next diff plans nothing", async () => {
      await svc.client(state.token, ORG).members.list();
      await svc.app.usage.flush();
      const read = found(await member.read(id, state));
      expect(Date.parse(String(read.props.lastUsedAt))).not.toBeNaN();
      expect(read.props.token).toBe(state.token);
      expect(read.inputs).not.toHaveProperty("lastUsedAt");
      const inputs = checkedInputs(await member.check(read.inputs!, { ...settings, name: "ci-bot", role: "admin", rotationTriggers: { q: "2" }, rotationGracePeriod: "2s" }));
      await expect(member.diff(id, read.props, inputs)).resolves.toEqual({ changes: false });
      state = read.props;
    });

    it("read shows a rename made outside the stack as drift", async () => {
      await svc.client(adminToken, ORG).members.update(id, { name: "renamed-outside" });
      const read = found(await member.read(id, state));
      expect(read.props).toMatchObject({ name: "renamed-outside", token: state.token });
      expect(read.inputs).toMatchObject({ name: "renamed-outside", role: "admin" });
      const inputs = checkedInputs(await member.check(read.inputs!, { ...settings, name: "ci-bot", role: "admin", rotationTriggers: { q: "2" }, rotationGracePeriod: "2s" }));
      expect((await member.diff(id, read.props, inputs)).changes).toBe(true);
      state = (await member.update(id, read.props, inputs)).outs;
      expect(state).toMatchObject({ name: "ci-bot", token: read.props.token });
    });

    it("delete removes the member and revokes its token; a second delete (404) succeeds", async () => {
      await member.delete(id, state);
      expect(await listStatus(state.token)).toBe(401);
      expect(await statusOf(svc.client(adminToken, ORG).members.get(id))).toBe(404);
      await expect(member.delete(id, state)).resolves.toBeUndefined();
    });

    it("read of a member removed outside the stack returns an empty id", async () => {
      await expect(member.read(id, state)).resolves.toEqual({ id: "", props: {} });
    });
  });

  describe("converging after an answer was lost", () => {
    const program = { name: "lost-answer", managedBy: "proj/stack/Member/lost-answer" };

    it("a create planned again (new rotation anchor) replays the first one; more than 24 h later it recovers the member with a new token", async () => {
      const first = await member.create(checkedInputs(await member.check({}, program)));
      ledger.add(first.outs.token);
      // The next `pulumi up` plans anew (the engine never recorded the first): another anchor, the same resource.
      await new Promise((r) => setTimeout(r, 5));
      const again = checkedInputs(await member.check({}, program));
      expect(again.rotationAnchor).not.toBe(first.outs.rotationAnchor);
      const replayed = await member.create(again);
      expect(replayed.id).toBe(first.id);
      expect(replayed.outs.token).toBe(first.outs.token);

      expect(await aDayPasses(svc, createKey("member", ORG, again))).toBe(1);
      const recovered = await member.create(checkedInputs(await member.check({}, program)));
      ledger.add(recovered.outs.token);
      expect(recovered.id).toBe(first.id);
      expect(await listStatus(recovered.outs.token)).toBe(200);
      expect(await listStatus(first.outs.token)).toBe(401);
      expect((await svc.client(adminToken, ORG).members.list()).items.filter((m) => m.name === "lost-answer")).toHaveLength(1);
    });
  });

  describe("who may manage members", () => {
    afterEach(() => configureRuntime(svc, ORG, adminToken));

    it("refuses a platform API key, even full_access, with an error that says an org admin's token is needed", async () => {
      const platformKey = ledger.add((await svc.client(adminToken, ORG).platformApiKeys.create({ name: "automation", permission: "full_access" })).key);
      configureRuntime(svc, ORG, platformKey);
      const err: Error = await member.create(checkedInputs(await member.check({}, { name: "made-by-a-key" }))).catch((e) => e);
      expect(err.message).toMatch(/POST \/api\/v1\/orgs\/memprov\/members failed with 403 forbidden/);
      expect(err.message).toContain("A Member can only be managed with an org admin's token as keyservice:token");
      expect(ledger.foundIn(err.message)).toEqual([]);
    });

    it("reports the last admin's removal, refused by the service, as a clear error", async () => {
      const org = "memlast";
      const { adminToken: founder } = await svc.bootstrap(org);
      ledger.add(founder);
      configureRuntime(svc, org, founder);
      const created = await member.create(checkedInputs(await member.check({}, { name: "ops", role: "admin" })));
      ledger.add(created.outs.token);
      // The founding admin leaves: the managed member is now the org's only admin.
      const asOps = svc.client(created.outs.token, org);
      const founderId = (await asOps.members.list()).items.find((m) => m.id !== created.id)!.id;
      await asOps.members.delete(founderId);
      configureRuntime(svc, org, created.outs.token);

      const err: Error = await member.delete(created.id, created.outs).catch((e) => e);
      expect(err.message).toMatch(/^Member "ops" is the last admin of org "memlast", and the service refuses to remove it \(DELETE \/api\/v1\/orgs\/memlast\/members\/\S+ failed with 409 conflict/);
      expect(err.message).toContain("Make another member an admin first");
      expect(await listStatus(created.outs.token, org)).toBe(200);
    });
  });

  it("leaves no issued token in the service's database or logs", async () => {
    expect(ledger.size).toBeGreaterThan(5);
    await expectNoSecretsInService(ledger, svc);
  });
});
