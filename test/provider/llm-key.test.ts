import { expectNoSecretsInService } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { checkedInputs, configureRuntime, found, runtime } from "./runtime-helpers";

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

  describe("converging after an answer was lost", () => {
    const managedBy = "proj/stack/LlmKey/lost-answer";
    const program = (provider: string, apiKey: string) => ({ provider, label: "prod", apiKey, managedBy });
    const storedFor = async (provider: string) => (await svc.client(token, "llmprov").llmKeys.list()).items.filter((k) => k.provider === provider);

    it("a create sent again by the next up replays the first one: one key, the same id, and the secret verifies", async () => {
      const apiKey = ledger.add("sk-mistral-lost-00000000001");
      const first = await llm.create(checkedInputs(await llm.check({}, program("mistral", apiKey))));
      const second = await llm.create(checkedInputs(await llm.check({}, program("mistral", apiKey))));
      expect(second.id).toBe(first.id);
      expect(second.outs).toMatchObject({ managedBy, version: 1, keyHint: "...0001" });
      expect((await storedFor("mistral")).map((k) => k.id)).toEqual([first.id]);
      await expect(svc.client(token, "llmprov").llmKeys.verify(first.id, { apiKey })).resolves.toEqual({ matches: true });
    });

    it("a key replaced for another provider (deleted first, the same managedBy) is created anew, and so is the way back", async () => {
      const apiKey = ledger.add("sk-cohere-replaced-0000001");
      const cohere = await llm.create(checkedInputs(await llm.check({}, program("cohere", apiKey))));
      await llm.delete(cohere.id, cohere.outs);
      const groq = await llm.create(checkedInputs(await llm.check({}, program("groq", apiKey))));
      await llm.delete(groq.id, groq.outs);
      const back = await llm.create(checkedInputs(await llm.check({}, program("cohere", apiKey))));
      expect(new Set([cohere.id, groq.id, back.id]).size).toBe(3);
      expect((await storedFor("cohere")).map((k) => k.id)).toEqual([back.id]);
      expect(await storedFor("groq")).toEqual([]);
    });

    it("another stack resource for the same provider gets its own create (409), never the first one's key", async () => {
      const apiKey = ledger.add("sk-mistral-other-000000001");
      await expect(llm.create(checkedInputs(await llm.check({}, { ...program("mistral", apiKey), managedBy: "proj/other/LlmKey/lost-answer" })))).rejects.toThrow(/409/);
    });

    it("without managedBy (state written before it) sends no Idempotency-Key: a second create is a 409", async () => {
      const apiKey = ledger.add("sk-voyage-unmanaged-000001");
      await llm.create({ provider: "voyage", label: "prod", apiKey });
      await expect(llm.create({ provider: "voyage", label: "prod", apiKey })).rejects.toThrow(/409/);
    });

    it("plans no change when managedBy first appears beside state written without it, and read keeps it", async () => {
      const apiKey = ledger.add("sk-jina-old-state-00000001");
      const { id, outs } = await llm.create({ provider: "jina", label: "prod", apiKey });
      await expect(llm.diff(id, outs, { provider: "jina", label: "prod", apiKey, managedBy })).resolves.toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
      const { outs: managed } = await llm.update(id, outs, { provider: "jina", label: "relabelled", apiKey, managedBy });
      expect(found(await llm.read(id, managed)).props).toMatchObject({ managedBy, label: "relabelled" });
    });
  });

  it("leaves no secret in the database or logs", async () => {
    await expectNoSecretsInService(ledger, svc);
  });
});
