import { expectNoSecretsInService } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { configureRuntime, found, runtime } from "./runtime-helpers";

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

  it("check names a missing field, and reports the secret's failure without quoting it or attaching it to apiKey (the engine would print its value)", async () => {
    const secret = ledger.add("sk-x".repeat(1100));
    const { failures } = await llm.check({}, { provider: "openai", apiKey: secret });
    expect(failures).toEqual([
      { property: "label", reason: "label is required." },
      { property: "", reason: "apiKey must be at most 4096 characters." },
    ]);
    expect(ledger.foundIn(JSON.stringify(failures))).toEqual([]);
  });

  it("check quotes the provider's bad values but never the secret's", async () => {
    const { failures } = await llm.check({}, { provider: "", label: "x".repeat(300), apiKey: 42 });
    expect(failures).toEqual([
      { property: "provider", reason: 'provider "" must not be empty.' },
      { property: "label", reason: `label "${"x".repeat(79)}… (302 characters) must be at most 255 characters.` },
      { property: "", reason: "apiKey must be a string (it is a number)." },
    ]);
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
    const read = found(await llm.read(created.id, state));
    expect(read.props).toMatchObject({ apiKeyInSync: false, version: 3, apiKey: second });
    expect((await llm.diff(created.id, read.props, { provider: "openai", label: "prod", apiKey: second })).changes).toBe(true);
    const healed = await llm.update(created.id, read.props, { provider: "openai", label: "prod", apiKey: second });
    expect(healed.outs).toMatchObject({ apiKeyInSync: true, version: 4 });
    await expect(svc.client(token, "llmprov").llmKeys.verify(created.id, { apiKey: second })).resolves.toEqual({ matches: true });

    await llm.delete(created.id, healed.outs);
    await expect(llm.read(created.id, healed.outs)).resolves.toEqual({ id: "", props: {} });
  });

  it("leaves no secret in the database or logs", async () => {
    await expectNoSecretsInService(ledger, svc);
  });
});
