import { COUNT, replayCommand, seedsOf } from "./scenarios";
import { CONVERGED, Fleet } from "./support";

/**
 * A TCP proxy between the provider and the service resets, stalls or delays 20 % of connections,
 * resetting and stalling some after the request reached the service (it committed; the answer is
 * lost). `pulumi up` of
 * COUNT keys, then a rotation of all of them, converge: 0 duplicates, 0 orphans. Each trial's
 * title holds the command that replays it.
 */
jest.setTimeout(15 * 60_000);

for (const seed of seedsOf("bad-network")) {
  describe(`a bad network between provider and service (seed ${seed}; replay: ${replayCommand("bad-network", seed)})`, () => {
    let fleet: Fleet;
    beforeAll(async () => {
      fleet = await Fleet.start("bad-network", seed);
      fleet.proxy.rate = 0.2;
    });
    afterAll(() => fleet?.close());

    /** `pulumi up` with the faults on, then the checks with them off; reported as one phase, also when `pulumi up` never succeeds. */
    async function upThroughFaults(phase: string): Promise<void> {
      const state = await fleet.checkedPhase("bad network", phase, async (injected) => {
        const before = { ...fleet.proxy.counts };
        fleet.proxy.rate = 0.2;
        let ups: number;
        try {
          ups = await fleet.upUntilDone();
        } finally {
          fleet.proxy.rate = 0;
          const c = fleet.proxy.counts;
          const n = (f: keyof typeof c) => c[f] - before[f];
          const requests = Object.values(c).reduce((a, b) => a + b) - Object.values(before).reduce((a, b) => a + b);
          injected.what = `${n("reset-before")} resets before and ${n("reset-after-request")} after the request, ${n("stall")} stalls before and ${n("stall-after-request")} after it, ${n("delay")} delays in ${requests} requests`;
          injected.faults = n("reset-before") + n("reset-after-request") + n("stall") + n("stall-after-request") + n("delay");
        }
        return { state: await fleet.converged(), ups };
      });
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
      expect(fleet.proxy.counts["reset-after-request"] + fleet.proxy.counts["stall-after-request"]).toBeGreaterThan(0);
      expect(fleet.proxy.counts["reset-before"] + fleet.proxy.counts.stall + fleet.proxy.counts.delay).toBeGreaterThan(0);
    });

    it("left no secret in state files, transcripts, the database or the service's logs", async () => {
      await fleet.expectNoLeaks();
    });
  });
}
