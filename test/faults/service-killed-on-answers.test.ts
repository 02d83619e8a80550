import { killedFleet } from "./killed-fleet";
import { replayCommand, seedsOf } from "./scenarios";
import { CONVERGED } from "./support";

const DEPLOYMENTS = "/api/v1/orgs/:org/deployments";
const LLM_KEYS = "/api/v1/orgs/:org/llm-keys";
const LLM_KEY = "/api/v1/orgs/:org/llm-keys/:id";

/**
 * The random kills of service-killed.test.ts fall on the deployment's or the LLM key's answer in a
 * few trials only: these fall on them every time. Each trial's title holds the command that replays it.
 */
jest.setTimeout(15 * 60_000);

for (const seed of seedsOf("service-killed-on-answers")) {
  describe(`service killed as the deployment's and the LLM key's answers are on the wire (seed ${seed}; replay: ${replayCommand("service-killed-on-answers", seed)})`, () => {
    // The proxy withholds the answers of the kill point's routes (see Fleet.upKilled): the kill loses both, however far apart a loaded machine answers them.
    const { fleet, restart } = killedFleet("service-killed-on-answers", seed);

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
}
