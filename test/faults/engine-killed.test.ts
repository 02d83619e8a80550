import fs from "node:fs";
import { COUNT, replayCommand, seedsOf } from "./scenarios";
import { CONVERGED, Fleet } from "./support";

/**
 * The whole `pulumi` process tree SIGKILLed at a random moment of `pulumi up` (as a CI runner that
 * is killed), creating COUNT keys and then rotating them all. The user's recovery, as the README
 * documents it: a checkpoint the kill cut short repaired (below), `pulumi cancel --yes` (removes
 * the killed run's lock), `pulumi refresh --clear-pending-creates --yes` (drops the operations it
 * left pending), then `pulumi up`. Each trial's title holds the command that replays it.
 */
jest.setTimeout(15 * 60_000);

/**
 * A kill while the file backend writes the checkpoint can cut short the file itself or its
 * attributes file beside it (`<stack>.json.attrs`, empty: "failed to load checkpoint: EOF"). The
 * user removes an empty attributes file (it only holds an MD5 and a content type) and puts back
 * the previous checkpoint (`<stack>.json.bak`) if the checkpoint itself is cut short.
 */
function repairCheckpoint(fleet: Fleet): string[] {
  const file = fleet.project.stackFile();
  const repaired: string[] = [];
  for (const attrs of [`${file}.attrs`, `${file}.bak.attrs`]) {
    if (fs.existsSync(attrs) && fs.statSync(attrs).size === 0) {
      fs.rmSync(attrs);
      repaired.push(`empty ${attrs.slice(file.length - 5)} removed`);
    }
  }
  try {
    JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    fs.copyFileSync(`${file}.bak`, file);
    repaired.push("checkpoint restored from .bak");
  }
  return repaired;
}

async function recover(fleet: Fleet): Promise<{ ups: number; note: string }> {
  const repaired = repairCheckpoint(fleet);
  await fleet.project.ok(["cancel", "--yes"]);
  await fleet.project.refresh(["--clear-pending-creates"]);
  // After cancel and refresh, the next `pulumi up` converges, in one run.
  return { ups: await fleet.upUntilDone(1), note: repaired.length ? `, ${repaired.join(", ")}` : "" };
}

for (const seed of seedsOf("engine-killed")) {
  describe(`engine killed during pulumi up (seed ${seed}; replay: ${replayCommand("engine-killed", seed)})`, () => {
    let fleet: Fleet;
    beforeAll(async () => {
      fleet = await Fleet.start("engine-killed", seed);
    });
    afterAll(() => fleet?.close());

    it(`converges after the engine is killed while creating ${COUNT} keys, a deployment and an LLM key`, async () => {
      expect(await fleet.killPhase("engine", "create", () => recover(fleet))).toEqual(CONVERGED);
      expect(await fleet.survivors()).toEqual([]);
    });

    it("converges after the engine is killed while rotating every key with no grace", async () => {
      expect(await fleet.killPhase("engine", "rotate all", () => recover(fleet), { generation: "2" })).toEqual(CONVERGED);
      expect(await fleet.survivors()).toEqual([]);
      expect(await fleet.belowVersion(2)).toEqual([]);
    });

    it("left no secret in state files, transcripts, the database or the service's logs", async () => {
      await fleet.expectNoLeaks();
    });
  });
}
