import type { StepEventMetadata } from "@pulumi/pulumi/automation";
import { executeStatus, type KeysStack, revealOutputs, startKeysStack, stopKeysStack } from "./support";

const PLATFORM = "pulumi-nodejs:dynamic/keyservice:PlatformApiKey";
const hasResource = (s: KeysStack, type: string) => s.project.resources().some((r) => r.type === type);

/** Runs a refresh; what it changed in state, one step (old and new outputs) per resource it changed. */
async function refreshSteps(s: KeysStack): Promise<StepEventMetadata[]> {
  const steps: StepEventMetadata[] = [];
  await s.project.refresh({
    onEvent: (e) => {
      if (e.resOutputsEvent && e.resOutputsEvent.metadata.op !== "same") steps.push(e.resOutputsEvent.metadata);
    },
  });
  return steps;
}

describe("keys changed outside the stack, through pulumi refresh and up", () => {
  let s: KeysStack;
  let first: Record<string, any>;

  beforeAll(async () => {
    s = await startKeysStack("acme-drift");
    // A secret among the triggers: refresh writes inputs back, and must keep this one encrypted.
    await s.project.setConfig("platformSecretTrigger", s.ledger.add("trigger-secret-7f3e9a1c5b"), true);
    await s.project.up();
    first = await revealOutputs(s);
  }, 90_000);

  afterAll(() => stopKeysStack(s));

  it("forgets a key deleted outside the stack on refresh, and the next up creates a new one", async () => {
    await s.admin.globalApiKeys.delete(first.globalKeyId);
    await s.project.refresh();
    expect(hasResource(s, "pulumi-nodejs:dynamic/keyservice:GlobalApiKey")).toBe(false);

    await s.project.up();
    const outs = await revealOutputs(s);
    expect(outs.globalKeyId).not.toBe(first.globalKeyId);
    expect(outs).toMatchObject({ globalVersion: 1, globalRotationReason: "created" });
    await expect(s.admin.globalApiKeys.get(outs.globalKeyId)).resolves.toMatchObject({ name: "global", isActive: true, deploymentIds: [first.deploymentId] });
    expect(await executeStatus(s, "target", outs.globalKey)).toBe(200);
    expect(await executeStatus(s, "target", first.globalKey)).toBe(401);
  });

  it("shows a key deactivated outside the stack as drift on refresh, and the next up reactivates it", async () => {
    await s.admin.platformApiKeys.update(first.platformKeyId, { isActive: false });
    await expect(s.admin.keys.verify(first.platformKey)).resolves.toMatchObject({ valid: false, code: "DISABLED" });
    const [step, ...others] = await refreshSteps(s);
    expect(step).toMatchObject({ op: "update", type: PLATFORM, old: { outputs: { active: true } }, new: { outputs: { active: false } } });
    expect(others).toEqual([]);
    const preview = await s.project.preview();
    expect(preview.stdout).toMatch(/PlatformApiKey: \(update\)/);
    expect(preview.stdout).toMatch(/~ active\s*: false => true/);
    expect(preview.changeSummary.update).toBe(1);

    await s.project.up();
    await expect(s.admin.platformApiKeys.get(first.platformKeyId)).resolves.toMatchObject({ isActive: true, version: 1 });
    // Reactivation is a PATCH, not a rotation: the secret the stack holds works again.
    const outs = await revealOutputs(s);
    expect(outs).toMatchObject({ platformKeyId: first.platformKeyId, platformKey: first.platformKey });
    await expect(s.admin.keys.verify(first.platformKey)).resolves.toMatchObject({ valid: true, code: "VALID" });
  });

  it("records lastUsedAt of the keys on refresh, as outputs only: the next preview plans no change", async () => {
    const outs = await revealOutputs(s);
    expect(await executeStatus(s, "target", outs.globalKey)).toBe(200);
    await s.svc.client(outs.platformKey, s.org).deployments.list();
    await s.svc.app.usage.flush();
    await s.project.refresh();
    const resources = s.project.resources();
    for (const [type, id] of [["GlobalApiKey", outs.globalKeyId], ["PlatformApiKey", outs.platformKeyId]]) {
      const resource = resources.find((r) => r.type === `pulumi-nodejs:dynamic/keyservice:${type}`);
      expect(resource.outputs.lastUsedAt).toBe((type === "GlobalApiKey" ? await s.admin.globalApiKeys.get(id) : await s.admin.platformApiKeys.get(id)).lastUsedAt);
      expect(Date.parse(resource.outputs.lastUsedAt)).not.toBeNaN();
      expect(resource.inputs).not.toHaveProperty("lastUsedAt");
    }
    await s.project.preview({ expectNoChanges: true });
  });

  it("left no issued secret in the backend files or the CLI transcript", () => {
    expect(s.ledger.size).toBe(6);
    expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
  });
});
