import { CONVERGED, COUNT, FIRST_SEED, Fleet, TRIALS } from "./support";

/**
 * The service SIGKILLed at a random moment of `pulumi up` (creating COUNT keys, then rotating them
 * all), restarted on the same database; the next `pulumi up` converges with no manual step.
 * Replay one trial with KEYSERVICE_FAULT_SEED=<seed> KEYSERVICE_FAULT_TRIALS=1.
 */
jest.setTimeout(15 * 60_000);

const seeds = Array.from({ length: TRIALS }, (_, i) => FIRST_SEED + i);

describe.each(seeds)("service killed during pulumi up (seed %i)", (seed) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await Fleet.start(seed);
    // Answers spend 200 ms on the wire: a kill loses those in flight, whose writes committed.
    fleet.proxy.holdMs = 200;
  });
  afterAll(() => fleet?.close());

  /** The service comes back on the same database; nothing else is needed but the next `pulumi up`. */
  const restart = async () => {
    await fleet.startService();
    return { ups: await fleet.upUntilDone(), note: "" };
  };

  it(`converges after a kill while creating ${COUNT} keys: each in the service once, each secret working, no orphan, no change planned`, async () => {
    expect(await fleet.killPhase("service", "create", restart)).toEqual(CONVERGED);
  });

  it("converges after a kill while rotating every key with no grace: the stack never keeps a secret that stopped working", async () => {
    expect(await fleet.killPhase("service", "rotate all", restart, "2")).toEqual(CONVERGED);
    expect(await fleet.belowVersion(2)).toEqual([]);
  });

  it("left no secret in state files, transcripts, the database or the service's logs", async () => {
    await fleet.expectNoLeaks();
  });
});
