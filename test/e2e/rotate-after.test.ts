import { waitUntilPast } from "../helpers/wait";
import { executeStatus, type KeysStack, revealOutputs, startKeysStack, stopKeysStack } from "./support";

describe("rotateAfter through pulumi preview and up", () => {
  let s: KeysStack;

  beforeAll(async () => {
    // The global key is due after 2 seconds; the platform key's hour never passes during the test.
    s = await startKeysStack("acme-rotate-after", { globalRotateAfter: "2s", platformRotateAfter: "1h" });
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  // Three engine runs: about 25 s alone, over a minute beside another engine suite on two cores.
  it("rotates a key on the next up once rotateAfter has elapsed, and the preview says why", async () => {
    await s.project.up();
    const first = await revealOutputs(s);
    expect(first).toMatchObject({ globalVersion: 1, platformVersion: 1, globalRotationReason: "created" });
    await waitUntilPast(Date.parse(first.globalRotationAnchor) + 2000, 100);

    const preview = await s.project.preview();
    // The CLI prints the string property escaped: rotateAfter \"2s\" elapsed since <anchor>.
    expect(preview.stdout).toMatch(/rotationReason\s*: "created" => "rotateAfter \\"2s\\" elapsed since /);
    expect(preview.stdout).toMatch(/GlobalApiKey: \(update\)/);
    expect(preview.stdout).not.toMatch(/PlatformApiKey: \(update\)/);

    await s.project.up();
    const second = await revealOutputs(s);
    expect(second).toMatchObject({ globalKeyId: first.globalKeyId, globalVersion: 2, globalRotationReason: `rotateAfter "2s" elapsed since ${first.globalRotationAnchor}` });
    expect(second.globalKey).not.toBe(first.globalKey);
    expect(Date.parse(second.globalRotationAnchor)).toBeGreaterThanOrEqual(Date.parse(first.globalRotationAnchor) + 2000);
    expect(await executeStatus(s, "target", first.globalKey)).toBe(401);
    expect(await executeStatus(s, "target", second.globalKey)).toBe(200);
    await expect(s.admin.globalApiKeys.get(first.globalKeyId)).resolves.toMatchObject({ version: 2 });
    // A key whose rotateAfter has not elapsed keeps its secret.
    expect(second).toMatchObject({ platformKeyId: first.platformKeyId, platformVersion: 1, platformKey: first.platformKey });
  }, 150_000);

  it("left no issued secret in the backend files or the CLI transcript", () => {
    expect(s.ledger.size).toBe(5);
    expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
  });
});
