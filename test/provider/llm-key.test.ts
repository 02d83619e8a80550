import { expectNoSecretsInService } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { configureRuntime, runtime } from "./runtime-helpers";

describe("LlmKey provider methods against a live service", () => {
  let svc: TestService;
  let token: string;
  const ledger = new SecretLedger();
  const llm = runtime("LlmKey");

  beforeAll(async () => {
    svc = await startTestService();
    token = ledger.add((await svc.bootstrap("llmprov")).adminToken);
    configureRuntime(svc, "llmprov", token);
  });
  afterAll(() => svc.close());

  it("check names a missing field and never quotes the secret", async () => {
    const secret = ledger.add("sk-x".repeat(1100));
    const { failures } = await llm.check({}, { provider: "openai", apiKey: secret });
    expect(failures!.map((f) => f.property).sort()).toEqual(["apiKey", "label"]);
    expect(ledger.foundIn(JSON.stringify(failures))).toEqual([]);
  });

  it("rotates in place on a new apiKey, replaces on a new provider, and detects a secret changed outside the stack", async () => {
    const first = ledger.add("sk-openai-first-0000000001");
    const created = await llm.create({ provider: "openai", label: "prod", apiKey: first });
    expect(created.outs).toMatchObject({ provider: "openai", version: 1, keyHint: "...0001", apiKeyInSync: true });
    let state = created.outs;

    const second = ledger.add("sk-openai-second-000000002");
    expect(await llm.diff(created.id, state, { provider: "openai", label: "prod", apiKey: second })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await llm.diff(created.id, state, { provider: "anthropic", label: "prod", apiKey: first })).toMatchObject({ changes: true, replaces: ["provider"] });

    const { outs } = await llm.update(created.id, state, { provider: "openai", label: "prod", apiKey: second });
    expect(outs).toMatchObject({ version: 2, keyHint: "...0002" });
    expect(Date.parse(String(outs.rotatedAt))).not.toBeNaN();
    state = outs;

    const outside = ledger.add("sk-openai-outside-00000003");
    await svc.client(token, "llmprov").llmKeys.update(created.id, { apiKey: outside });
    const read = await llm.read(created.id, state);
    expect(read.props).toMatchObject({ apiKeyInSync: false, version: 3, apiKey: second });
    expect((await llm.diff(created.id, read.props!, { provider: "openai", label: "prod", apiKey: second })).changes).toBe(true);
    const healed = await llm.update(created.id, read.props!, { provider: "openai", label: "prod", apiKey: second });
    expect(healed.outs).toMatchObject({ apiKeyInSync: true, version: 4 });
    await expect(svc.client(token, "llmprov").llmKeys.verify(created.id, { apiKey: second })).resolves.toEqual({ matches: true });

    await llm.delete(created.id, healed.outs);
    await expect(llm.read(created.id, healed.outs)).resolves.toEqual({ id: "", props: {} });
  });

  it("leaves no secret in the database or logs", async () => {
    await expectNoSecretsInService(ledger, svc);
  });
});
