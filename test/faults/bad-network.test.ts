import { CONVERGED, COUNT, FIRST_SEED, Fleet, TRIALS } from "./support";

/**
 * A TCP proxy between the provider and the service resets, stalls or delays 20 % of connections,
 * some after the request reached the service (it committed; the answer is lost). `pulumi up` of
 * COUNT keys, then a rotation of all of them, converge: 0 duplicates, 0 orphans.
 */
jest.setTimeout(15 * 60_000);

const seeds = Array.from({ length: Math.max(1, Math.ceil(TRIALS / 5)) }, (_, i) => FIRST_SEED + 200 + i);

describe.each(seeds)("a bad network between provider and service (seed %i)", (seed) => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await Fleet.start(seed);
    fleet.proxy.rate = 0.2;
  });
  afterAll(() => fleet?.close());

  /** `pulumi up` with the faults on, then the checks with them off; reported as one phase. */
  async function upThroughFaults(phase: string): Promise<void> {
    const before = { ...fleet.proxy.counts };
    fleet.proxy.rate = 0.2;
    const ups = await fleet.upUntilDone();
    fleet.proxy.rate = 0;
    const state = await fleet.converged();
    const c = fleet.proxy.counts;
    const n = (f: keyof typeof c) => c[f] - before[f];
    const injected = `${n("reset-before")} resets before, ${n("reset-after-request")} after the request, ${n("stall")} stalls, ${n("delay")} delays in ${Object.values(c).reduce((a, b) => a + b) - Object.values(before).reduce((a, b) => a + b)} requests`;
    await fleet.report("bad network", phase, injected, state, ups);
    expect(state).toEqual(CONVERGED);
  }

  it(`creates ${COUNT} keys through it: each in the service once, each secret working, no orphan`, async () => {
    await upThroughFaults("create");
  });

  it("rotates them all through it: every secret in state is the current one", async () => {
    await fleet.project.setConfig("generation", "2");
    await upThroughFaults("rotate all");
    expect(await fleet.belowVersion(2)).toEqual([]);
  });

  it("really broke connections, after the request too", () => {
    expect(fleet.proxy.counts["reset-after-request"]).toBeGreaterThan(0);
    expect(fleet.proxy.counts["reset-before"] + fleet.proxy.counts.stall + fleet.proxy.counts.delay).toBeGreaterThan(0);
  });

  it("left no secret in state files, transcripts, the database or the service's logs", async () => {
    await fleet.expectNoLeaks();
  });
});
