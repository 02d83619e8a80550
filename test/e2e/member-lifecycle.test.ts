import { expectNoSecretsInService } from "../helpers/leaks";
import { pollUntil, statusOf } from "../helpers/wait";
import { type KeysStack, MEMBERS_PROGRAM, requestCount, startKeysStack, stopKeysStack } from "./support";

// How the engine marks a secret in state: this signature, and the value as ciphertext beside it.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const encrypted = { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) };

const MEMBER = "pulumi-nodejs:dynamic/keyservice:Member";
const memberOf = (s: KeysStack) => s.project.resources().find((r) => r.type === MEMBER);

describe("an automation user (Member) through pulumi up, rotation, refresh and destroy", () => {
  let s: KeysStack;
  let first: Record<string, any>;
  let second: Record<string, any>;

  /** The member's outputs in plaintext; each token goes into the ledger. */
  const reveal = async () => {
    const outs = await s.project.outputs();
    s.ledger.add(outs.memberToken);
    return outs;
  };
  /** The HTTP status of listing the org's members with `token` as the bearer (any member may). */
  const listStatus = (token: string) => statusOf(s.svc.client(token, s.org).members.list());

  beforeAll(async () => {
    s = await startKeysStack("acme-members", {}, MEMBERS_PROGRAM);
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  it("creates the member with a working token, a secret output kept in state only as ciphertext", async () => {
    await s.project.up();
    first = await reveal();
    expect(first).toMatchObject({ memberName: "ci", memberRole: "member", memberRotationReason: "created" });
    expect(first.memberToken).toMatch(/^ks_usr_/);
    await expect(s.admin.members.get(first.memberId)).resolves.toMatchObject({ name: "ci", role: "member", lastUsedAt: null });
    expect(await listStatus(first.memberToken)).toBe(200);

    expect((await s.project.stack.outputs()).memberToken.secret).toBe(true);
    expect(memberOf(s).outputs.token).toEqual(encrypted);
    const created = (await s.admin.auditEvents.list({ action: "member.create" })).items.filter((e) => e.target === first.memberId);
    expect(created).toMatchObject([{ outcome: "success" }]);
  });

  it("previews the unchanged stack without a request to the service", async () => {
    const before = requestCount(s.svc);
    await s.project.preview({ expectNoChanges: true });
    expect(requestCount(s.svc)).toBe(before);
  });

  it("rotates the token in place when its trigger changes; the old token works through the grace period, then not", async () => {
    await s.project.setConfig("memberTrigger", "2");
    // Long enough for the rest of the up (the Automation API then reads outputs and history: three more CLI runs) and the checks below.
    await s.project.setConfig("memberGrace", "12s");
    const preview = await s.project.preview();
    expect(preview.stdout).toMatch(/rotationReason\s*: "created" => "rotationTriggers changed"/);

    await s.project.up();
    expect(await listStatus(first.memberToken)).toBe(200);
    second = await reveal();
    expect(second).toMatchObject({ memberId: first.memberId, memberName: "ci", memberRotationReason: "rotationTriggers changed" });
    expect(second.memberToken).not.toBe(first.memberToken);
    expect(await listStatus(second.memberToken)).toBe(200);
    const rotations = (await s.admin.auditEvents.list({ action: "member.rotate_token" })).items;
    expect(rotations).toHaveLength(1);
    expect(rotations[0]).toMatchObject({ target: first.memberId, outcome: "success" });

    await pollUntil(() => listStatus(first.memberToken), (status) => status === 401, { timeoutMs: 20_000, intervalMs: 100, what: "the old token to be refused" });
    expect(await listStatus(second.memberToken)).toBe(200);
  });

  it("shows lastUsedAt after a refresh, and the next preview plans no change", async () => {
    const before = memberOf(s).outputs.lastUsedAt;
    expect(await listStatus(second.memberToken)).toBe(200);
    await s.svc.app.usage.flush();
    const { lastUsedAt } = await s.admin.members.get(first.memberId);
    expect(Date.parse(lastUsedAt!)).toBeGreaterThan(before ? Date.parse(before) : 0);

    // The engine asks the provider's diff what changed, and lastUsedAt is an output only: the refresh records it and plans nothing.
    const refresh = await s.project.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 2 });
    expect(memberOf(s).outputs.lastUsedAt).toBe(lastUsedAt);
    // The token survives the refresh, still encrypted.
    expect(memberOf(s).outputs.token).toEqual(encrypted);
    expect((await reveal()).memberToken).toBe(second.memberToken);

    const preview = await s.project.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 2 });
  });

  it("renames and promotes the member in place, keeping its token", async () => {
    await s.project.setConfig("memberName", "ci-bot");
    await s.project.setConfig("memberRole", "admin");
    await s.project.up();
    const outs = await reveal();
    expect(outs).toMatchObject({ memberId: first.memberId, memberName: "ci-bot", memberRole: "admin", memberToken: second.memberToken });
    await expect(s.admin.members.get(first.memberId)).resolves.toMatchObject({ name: "ci-bot", role: "admin" });
    // An admin now: it may manage members itself.
    expect(await statusOf(s.svc.client(second.memberToken, s.org).members.get(first.memberId))).toBe(200);
  });

  it("destroys the stack: the member is gone and its token refused", async () => {
    await s.project.destroy();
    expect(await listStatus(second.memberToken)).toBe(401);
    expect(await statusOf(s.admin.members.get(first.memberId))).toBe(404);
    expect(await s.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id = ?", first.memberId)).toBe(0);
  });

  it("left no token in the backend files, the CLI transcript or the service's database and logs", async () => {
    // The admin token, the stack's LLM key config (unused here) and the member's two tokens.
    expect(s.ledger.size).toBe(4);
    expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
    await expectNoSecretsInService(s.ledger, s.svc);
  });
});
