import { Fleet } from "./support";
import type { Scenario } from "./scenarios";

/**
 * For the describe block it is called in: a fleet whose answers spend `holdMs` on the wire (a kill
 * loses those in flight, whose writes committed), and the recovery, which is a restart of the
 * service on the same database and nothing else but the next `pulumi up`.
 */
export function killedFleet(scenario: Scenario, seed: number, holdMs = 200) {
  let started: Fleet | undefined;
  beforeAll(async () => {
    started = await Fleet.start(scenario, seed);
    started.proxy.holdMs = holdMs;
  });
  afterAll(() => started?.close());
  const fleet = () => started!;
  const restart = async () => {
    await fleet().startService();
    // The promise, asserted: the next `pulumi up` converges, in one run.
    return { ups: await fleet().upUntilDone(1), note: "" };
  };
  return { fleet, restart };
}
