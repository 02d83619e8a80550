import { killedFleet } from "./killed-fleet";
import { COUNT, replayCommand, seedsOf } from "./scenarios";
import { CONVERGED } from "./support";

/**
 * The service SIGKILLed at a random moment of `pulumi up` (creating COUNT keys, a deployment and an
 * LLM key, then rotating them all), restarted on the same database; the next `pulumi up` converges with no manual step.
 * Each trial's title holds the command that replays it.
 */
jest.setTimeout(15 * 60_000);

for (const seed of seedsOf("service-killed")) {
  describe(`service killed during pulumi up (seed ${seed}; replay: ${replayCommand("service-killed", seed)})`, () => {
    const { fleet, restart } = killedFleet("service-killed", seed);

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
}
