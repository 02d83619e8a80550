import { statusOf } from "../helpers/wait";
import { executeStatus, type KeysStack, revealOutputs, startKeysStack, stopKeysStack } from "./support";

describe("adoptExisting through pulumi up", () => {
  let s: KeysStack;

  beforeAll(async () => {
    s = await startKeysStack("acme-adoption");
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  it("takes over keys created through the API: same ids, the old secrets stop working, the new ones work", async () => {
    const legacyGlobal = await s.admin.globalApiKeys.create({ name: "legacy-ci", allowAllDeployments: true });
    const legacyPlatform = await s.admin.platformApiKeys.create({ name: "legacy-bot", permission: "read" });
    s.ledger.add(legacyGlobal.key);
    s.ledger.add(legacyPlatform.key);
    await s.project.setConfig("globalAdoptExisting", legacyGlobal.id);
    await s.project.setConfig("platformAdoptExisting", legacyPlatform.id);

    await s.project.up();
    const outs = await revealOutputs(s);
    expect(outs).toMatchObject({ globalKeyId: legacyGlobal.id, platformKeyId: legacyPlatform.id, globalVersion: 2, platformVersion: 2, globalRotationReason: "adopted" });
    // The program's settings replace what the API gave the keys.
    await expect(s.admin.globalApiKeys.get(legacyGlobal.id)).resolves.toMatchObject({ name: "global", allowAllDeployments: false, deploymentIds: [outs.deploymentId] });
    await expect(s.admin.platformApiKeys.get(legacyPlatform.id)).resolves.toMatchObject({ name: "platform", permission: "read_write" });

    expect(await executeStatus(s, "target", legacyGlobal.key)).toBe(401);
    expect(await executeStatus(s, "target", outs.globalKey)).toBe(200);
    expect(await statusOf(s.svc.client(legacyPlatform.key, s.org).deployments.list())).toBe(401);
    expect(await statusOf(s.svc.client(outs.platformKey, s.org).deployments.list())).toBe(200);
    // Adoption made no second key of either kind.
    expect(await s.svc.db.count("SELECT count(*) FROM api_keys")).toBe(2);
  });

  it("adopts once: the next preview plans no change", async () => {
    await s.project.preview({ expectNoChanges: true });
  });

  it("left no issued secret in the backend files or the CLI transcript", () => {
    expect(s.ledger.size).toBe(6);
    expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
  });
});
