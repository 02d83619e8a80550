import { pollUntil, statusOf } from "../helpers/wait";
import { type KeysStack, revealOutputs, startKeysStack, stopKeysStack } from "./support";

describe("a stack whose provider token is a full_access key it manages", () => {
  let s: KeysStack;
  let first: Record<string, any>;
  let second: Record<string, any>;

  const listStatus = (token: string) => statusOf(s.svc.client(token, s.org).deployments.list());
  const auditOf = async (action: string) => (await s.admin.auditEvents.list({ limit: 100 })).items.filter((e) => e.action === action);

  beforeAll(async () => {
    s = await startKeysStack("acme-self-token", { platformPermission: "full_access" });
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  it("creates the full_access key with the admin token, then runs on that key", async () => {
    await s.project.up();
    first = await revealOutputs(s);
    await expect(s.admin.platformApiKeys.get(first.platformKeyId)).resolves.toMatchObject({ permission: "full_access", version: 1 });
    await s.project.setConfig("keyservice:token", first.platformKey, true);
  });

  it("rotates its own key when the trigger changes; the old key lasts through the grace period", async () => {
    await s.project.setConfig("platformTrigger", "2");
    // Long enough for the rest of the up (the Automation API then reads outputs and history: three more CLI runs) and the config update, short enough for the test to see it end.
    await s.project.setConfig("platformGrace", "12s");
    await s.project.up();
    expect(await listStatus(first.platformKey)).toBe(200);
    second = await revealOutputs(s);
    expect(second).toMatchObject({ platformKeyId: first.platformKeyId, platformVersion: 2 });
    expect(second.platformKey).not.toBe(first.platformKey);
    const [rotation] = await auditOf("platform_api_key.rotate");
    expect(rotation).toMatchObject({ actor: `platform_api_key:${first.platformKeyId}`, target: first.platformKeyId, outcome: "success" });
    expect(await listStatus(second.platformKey)).toBe(200);
    await s.project.setConfig("keyservice:token", second.platformKey, true);
  });

  it("keeps working with the rotated key in config after the old key is refused", async () => {
    await pollUntil(() => listStatus(first.platformKey), (status) => status === 401, { timeoutMs: 20_000, intervalMs: 100, what: "the old key to be refused" });
    await s.project.setConfig("globalDescription", "changed with the rotated token");
    await s.project.up();
    await expect(s.admin.globalApiKeys.get(first.globalKeyId)).resolves.toMatchObject({ description: "changed with the rotated token" });
    const updates = await auditOf("global_api_key.update");
    expect(updates.map((e) => e.actor)).toEqual([`platform_api_key:${first.platformKeyId}`]);
  });

  it("left no issued secret in the backend files or the CLI transcript", () => {
    expect(s.ledger.size).toBe(5);
    expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
  });
});
