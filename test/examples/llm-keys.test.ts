import { expectNoSecretsInService } from "../helpers/leaks";
import { AutomationStack } from "../helpers/automation";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { exampleDir } from "./support";

const PROJECT = "keyservice-llm-keys";

describe("examples/llm-keys through pulumi up", () => {
  const ledger = new SecretLedger();
  const openaiKey = ledger.add("sk-proj-example-openai-7Hq2LmX9pR4t");
  const anthropicKey = ledger.add("sk-ant-api03-example-first-Zk81Wc3n");
  const anthropicRotated = ledger.add("sk-ant-api03-example-second-Yb62Qd7v");
  const mistralKey = ledger.add("mistral-example-key-Ft5Rk20pLs9e");
  let svc: TestService;
  let project: AutomationStack;
  let adminToken: string;
  let first: Record<string, any>;

  /** Whether the service holds exactly this secret for the key (compared in constant time, never read back). */
  async function holds(id: string, apiKey: string): Promise<boolean> {
    return (await svc.client(adminToken, "byok").llmKeys.verify(id, { apiKey })).matches;
  }

  beforeAll(async () => {
    svc = await startTestService();
    ({ adminToken } = await svc.bootstrap("byok"));
    ledger.add(adminToken);
    project = await AutomationStack.create({
      programDir: exampleDir("llm-keys"),
      config: { "keyservice:endpoint": svc.url, "keyservice:org": "byok" },
      secrets: { "keyservice:token": adminToken, [`${PROJECT}:openaiApiKey`]: openaiKey, [`${PROJECT}:anthropicApiKey`]: anthropicKey },
    });
  }, 120_000);

  afterAll(async () => {
    project?.cleanup();
    await svc?.close();
  });

  it("stores each provider's key from secret config and shows only its hint", async () => {
    await project.up();
    first = (await project.outputs()).llmKeys;
    expect(first.openai).toMatchObject({ keyHint: "...pR4t", version: 1, status: "active" });
    expect(first.anthropic).toMatchObject({ keyHint: "...Wc3n", version: 1, status: "active" });
    expect(first.mistral).toBeUndefined();
    expect(await holds(first.openai.id, openaiKey)).toBe(true);
    expect(await holds(first.anthropic.id, anthropicKey)).toBe(true);
  }, 60_000);

  it("reports no changes on a second up", async () => {
    await project.up({ expectNoChanges: true });
  }, 60_000);

  it("rotates one provider's key in place when its secret changes", async () => {
    await project.setConfig(`${PROJECT}:anthropicApiKey`, anthropicRotated, true);
    await project.up();
    const { llmKeys } = await project.outputs();
    expect(llmKeys.anthropic).toEqual({ id: first.anthropic.id, keyHint: "...Qd7v", version: 2, status: "active" });
    expect(llmKeys.openai).toEqual(first.openai);
    expect(await holds(first.anthropic.id, anthropicRotated)).toBe(true);
    expect(await holds(first.anthropic.id, anthropicKey)).toBe(false);
    const rows = await svc.db.query<{ provider: string; version: number }>("SELECT provider, version FROM llm_keys ORDER BY provider");
    expect(rows).toEqual([
      { provider: "anthropic", version: 2 },
      { provider: "openai", version: 1 },
    ]);
  }, 60_000);

  it("adds the optional provider once its secret is set", async () => {
    await project.setConfig(`${PROJECT}:mistralApiKey`, mistralKey, true);
    await project.up();
    const { llmKeys } = await project.outputs();
    expect(llmKeys.mistral).toMatchObject({ keyHint: "...Ls9e", version: 1 });
    expect(await holds(llmKeys.mistral.id, mistralKey)).toBe(true);
  }, 60_000);

  it("keeps every secret out of the backend, the transcript, and the service's database and logs", async () => {
    await expectNoSecretsInService(ledger, svc, { dirs: [project.backendDir], texts: { transcript: project.transcript() } });
  });

  it("deletes every stored key on destroy", async () => {
    await project.destroy();
    expect(await svc.db.query("SELECT id FROM llm_keys")).toEqual([]);
  }, 60_000);
});
