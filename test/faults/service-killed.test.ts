import { CONVERGED, COUNT, FIRST_SEED, Fleet, TRIALS } from "./support";

const DEPLOYMENTS = "/api/v1/orgs/:org/deployments";
const LLM_KEYS = "/api/v1/orgs/:org/llm-keys";
const LLM_KEY = "/api/v1/orgs/:org/llm-keys/:id";

/**
 * The service SIGKILLed at a random moment of `pulumi up` (creating COUNT keys, a deployment and an
 * LLM key, then rotating them all), restarted on the same database; the next `pulumi up` converges with no manual step.
 * Replay one trial with KEYSERVICE_FAULT_SEED=<seed> KEYSERVICE_FAULT_TRIALS=1.
 */
jest.setTimeout(15 * 60_000);

const seeds = Array.from({ length: TRIALS }, (_, i) => FIRST_SEED + i);

/**
 * For the describe block it is called in: a fleet whose answers spend `holdMs` on the wire (a kill
 * loses those in flight, whose writes committed), and the recovery, which is a restart of the
 * service on the same database and nothing else but the next `pulumi up`.
 */
function killedFleet(seed: number, holdMs = 200) {
  let started: Fleet | undefined;
  beforeAll(async () => {
    started = await Fleet.start(seed);
    started.proxy.holdMs = holdMs;
  });
  afterAll(() => started?.close());
  const fleet = () => started!;
  const restart = async () => {
    await fleet().startService();
    return { ups: await fleet().upUntilDone(), note: "" };
  };
  return { fleet, restart };
}

describe.each(seeds)("service killed during pulumi up (seed %i)", (seed) => {
  const { fleet, restart } = killedFleet(seed);

  it(`converges after a kill while creating ${COUNT} keys, a deployment and an LLM key: each in the service once, each secret working, no orphan, no change planned`, async () => {
    expect(await fleet().killPhase("service", "create", restart)).toEqual(CONVERGED);
  });

  it("converges after a kill while rotating every key with no grace and the LLM key's secret: the stack never keeps a secret that stopped working", async () => {
    expect(await fleet().killPhase("service", "rotate all", restart, { generation: "2" })).toEqual(CONVERGED);
    expect(await fleet().belowVersion(2)).toEqual([]);
  });

  it("left no secret in state files, transcripts, the database or the service's logs", async () => {
    await fleet().expectNoLeaks();
  });
});

// The random kills fall on the deployment's or the LLM key's answer in a few trials only: these fall on them every time.
describe(`service killed as the deployment's and the LLM key's answers are on the wire (seed ${FIRST_SEED + 50})`, () => {
  // The proxy withholds the answers of the kill point's routes (see Fleet.upKilled): the kill loses both, however far apart a loaded machine answers them.
  const { fleet, restart } = killedFleet(FIRST_SEED + 50);

  it("converges after a kill that loses the answers of the deployment's and the LLM key's creates: both replayed, neither a 409", async () => {
    expect(await fleet().killPhase("service", "create (kill on the deployment's and LLM key's answers)", restart, { at: [DEPLOYMENTS, LLM_KEYS] })).toEqual(CONVERGED);
    expect({ deployment: await fleet().replayed("deployment.create"), llmKey: await fleet().replayed("llm_key.create") }).toEqual({ deployment: 1, llmKey: 1 });
  });

  it("converges after a kill that loses the answer of the LLM key's new secret (an update in place)", async () => {
    expect(await fleet().killPhase("service", "rotate all (kill on the LLM key's update answer)", restart, { generation: "2", at: [LLM_KEY] })).toEqual(CONVERGED);
    // Version 2 committed with its answer lost; the next up, finding the old secret in state, sent it again.
    expect((await fleet().admin().llmKeys.list()).items.map((k) => k.version)).toEqual([3]);
  });

  it("left no secret in state files, transcripts, the database or the service's logs", async () => {
    await fleet().expectNoLeaks();
  });
});
