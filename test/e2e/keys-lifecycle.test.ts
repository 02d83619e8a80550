import fs from "node:fs";
import path from "node:path";
import { expectNoSecretsInService } from "../helpers/leaks";
import { pollUntil, statusOf } from "../helpers/wait";
import { executeStatus, type KeysStack, requestCount, revealOutputs, startKeysStack, stopKeysStack } from "./support";

// How the engine marks a secret in state: this signature, and the value as ciphertext beside it.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_MARKER = "1b47061264138c4ac30d75fd1eb44270";
const encrypted = { [SECRET_SIG]: SECRET_MARKER, ciphertext: expect.any(String) };

const resourceOf = (resources: any[], type: string) => resources.find((r) => r.type === type);

describe("a stack of every key kind through pulumi up, preview, rotation and destroy", () => {
  let s: KeysStack;
  // The stack outputs after the first up, after the trigger rotation, and after the rotation with a grace period.
  let first: Record<string, any>;
  let second: Record<string, any>;
  let third: Record<string, any>;

  beforeAll(async () => {
    s = await startKeysStack("acme-lifecycle");
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  it("creates the deployment and one key of each kind as the program declares them", async () => {
    await s.project.up();
    first = await revealOutputs(s);
    expect(first).toMatchObject({ deploymentName: "target", globalVersion: 1, platformVersion: 1, globalRotationReason: "created" });
    await expect(s.admin.globalApiKeys.get(first.globalKeyId)).resolves.toMatchObject({
      name: "global",
      isActive: true,
      allowAllDeployments: false,
      deploymentIds: [first.deploymentId],
      version: 1,
    });
    await expect(s.admin.platformApiKeys.get(first.platformKeyId)).resolves.toMatchObject({ name: "platform", permission: "read_write", isActive: true });
    await expect(s.admin.llmKeys.get(first.llmKeyId)).resolves.toMatchObject({ provider: "openai", status: "active", keyHint: first.llmKeyHint, version: 1 });
    expect(first.llmKeyHint).toBe(`...${s.llmApiKey.slice(-4)}`);
    await expect(s.admin.llmKeys.verify(first.llmKeyId, { apiKey: s.llmApiKey })).resolves.toEqual({ matches: true });
  });

  it("shows every key output as [secret] and keeps it in state only as ciphertext", async () => {
    const outputs = await s.project.stack.outputs();
    expect(outputs.globalKey.secret).toBe(true);
    expect(outputs.platformKey.secret).toBe(true);

    const state = s.project.resources();
    const stackOutputs = resourceOf(state, "pulumi:pulumi:Stack").outputs;
    expect(stackOutputs.globalKey).toEqual(encrypted);
    expect(stackOutputs.platformKey).toEqual(encrypted);
    expect(resourceOf(state, "pulumi-nodejs:dynamic/keyservice:GlobalApiKey").outputs.key).toEqual(encrypted);
    expect(resourceOf(state, "pulumi-nodejs:dynamic/keyservice:PlatformApiKey").outputs.key).toEqual(encrypted);
    const llm = resourceOf(state, "pulumi-nodejs:dynamic/keyservice:LlmKey");
    expect(llm.inputs.apiKey).toEqual(encrypted);
    expect(llm.outputs.apiKey).toEqual(encrypted);

    const stackFile = fs.readFileSync(s.project.stackFile(), "utf8");
    expect(stackFile).toContain('"ciphertext"');
    expect(s.ledger.foundIn(stackFile)).toEqual([]);
  });

  it("issues keys that work: the global key opens its deployment, the platform key calls the API at its tier", async () => {
    await expect(s.admin.deployments.execute(first.deploymentName, first.globalKey)).resolves.toMatchObject({
      deployment: "target",
      keyKind: "global",
      keyId: first.globalKeyId,
    });
    await expect(s.admin.keys.verify(first.platformKey)).resolves.toEqual({ valid: true, code: "VALID", kind: "platform", keyId: first.platformKeyId });
    const asPlatform = s.svc.client(first.platformKey, s.org);
    await expect(asPlatform.deployments.get(first.deploymentId)).resolves.toMatchObject({ name: "target" });
    // read_write reads and writes, but may not reach what needs full_access (the audit log).
    expect(await statusOf(asPlatform.auditEvents.list())).toBe(403);
  });

  it("previews an unchanged stack without a single request to the service", async () => {
    const before = requestCount(s.svc);
    expect(before).toBeGreaterThan(0);
    const preview = await s.project.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 5 });
    expect(requestCount(s.svc)).toBe(before);
  });

  it("serializes a provider that holds no token, endpoint, org or key, and loads only @keyservice/pulumi/runtime", async () => {
    const dynamic = s.project.resources().filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/keyservice:"));
    expect(dynamic).toHaveLength(4);
    for (const resource of dynamic) {
      const text: unknown = resource.inputs.__provider;
      if (typeof text !== "string") throw new Error(`${resource.urn} has no serialized provider text in its inputs.`);
      expect(text.length).toBeLessThan(4096);
      expect(new Set([...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))).toEqual(new Set(["@keyservice/pulumi/runtime"]));
      expect(s.ledger.foundIn(text)).toEqual([]);
      for (const value of [s.svc.url, new URL(s.svc.url).host, s.org, "KEYSERVICE_"]) expect(text).not.toContain(value);
    }
  });

  it("plans no change when keyservice:token and keyservice:endpoint change in config", async () => {
    const { adminToken } = await s.svc.bootstrap(s.org);
    await s.project.setConfig("keyservice:token", s.ledger.add(adminToken), true);
    await s.project.setConfig("keyservice:endpoint", s.svc.url.replace("127.0.0.1", "localhost"));
    const preview = await s.project.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 5 });
  });

  it("rotates the global key in place when its trigger changes, and refuses the old key at once", async () => {
    await s.project.setConfig("globalTrigger", "2");
    await s.project.up();
    second = await revealOutputs(s);
    expect(second).toMatchObject({ globalKeyId: first.globalKeyId, globalVersion: 2, globalRotationReason: "rotationTriggers changed" });
    expect(second.globalKey).not.toBe(first.globalKey);
    expect(await executeStatus(s, "target", first.globalKey)).toBe(401);
    expect(await executeStatus(s, "target", second.globalKey)).toBe(200);
    // Only the key whose trigger changed rotates.
    expect(second).toMatchObject({ platformKeyId: first.platformKeyId, platformVersion: 1, platformKey: first.platformKey });
  });

  it("keeps the previous key working through the grace period, then refuses it", async () => {
    await s.project.setConfig("globalTrigger", "3");
    // Long enough for the rest of the up (the Automation API then reads outputs and history: three more CLI runs) and the checks below.
    await s.project.setConfig("globalGrace", "10s");
    await s.project.up();
    expect(await executeStatus(s, "target", second.globalKey)).toBe(200);
    const key = await s.admin.globalApiKeys.get(first.globalKeyId);
    const graceEnds = Date.parse(key.previousKeyExpiresAt!);
    expect(graceEnds - Date.parse(key.rotatedAt!)).toBe(10_000);
    third = await revealOutputs(s);
    expect(third).toMatchObject({ globalKeyId: first.globalKeyId, globalVersion: 3 });
    expect(await executeStatus(s, "target", third.globalKey)).toBe(200);
    await pollUntil(() => executeStatus(s, "target", second.globalKey), (status) => status === 401, { timeoutMs: 20_000, intervalMs: 100, what: "the previous key to be refused" });
    expect(Date.now()).toBeGreaterThanOrEqual(graceEnds);
    expect(await executeStatus(s, "target", third.globalKey)).toBe(200);
  });

  it("destroys the stack: every key it issued is revoked and the LLM key is gone", async () => {
    await s.project.destroy();
    for (const key of [first.globalKey, second.globalKey, third.globalKey, first.platformKey]) {
      await expect(s.admin.keys.verify(key)).resolves.toEqual({ valid: false, code: "NOT_FOUND" });
    }
    expect(await statusOf(s.admin.llmKeys.get(first.llmKeyId))).toBe(404);
    expect(await statusOf(s.admin.deployments.get(first.deploymentId))).toBe(404);
    const ids = [first.globalKeyId, first.platformKeyId, first.llmKeyId];
    expect(await s.svc.db.count("SELECT count(*) FROM credentials WHERE owner_id IN (?, ?, ?)", ...ids)).toBe(0);
    expect(await s.svc.db.count("SELECT count(*) FROM api_keys WHERE id IN (?, ?, ?)", ...ids)).toBe(0);
    expect(await s.svc.db.count("SELECT count(*) FROM llm_keys WHERE id IN (?, ?, ?)", ...ids)).toBe(0);
  });

  it("left no issued secret in any backend file (stack, history, backups), the CLI transcript or the service's database and logs", async () => {
    // The admin tokens, the LLM key, three global keys and the platform key.
    expect(s.ledger.size).toBe(7);
    // The search below covers every checkpoint the stack ever had: they hold the keys, as ciphertext.
    const pulumiDir = path.join(s.project.backendDir, "state", ".pulumi");
    const checkpoints = ["history", "backups"].flatMap((dir) =>
      fs.readdirSync(path.join(pulumiDir, dir), { recursive: true }).map((f) => path.join(pulumiDir, dir, String(f))).filter((f) => f.endsWith(".json")),
    );
    expect(checkpoints.filter((f) => fs.readFileSync(f, "utf8").includes('"ciphertext"')).length).toBeGreaterThanOrEqual(4);
    expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    // The transcript searched is the CLI's own output of every run (the Automation API streams it to the test).
    expect(s.project.transcript()).toMatch(/Resources:[\s\S]*Duration:/);
    expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
    await expectNoSecretsInService(s.ledger, s.svc);
  });
});
