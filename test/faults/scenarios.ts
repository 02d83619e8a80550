/**
 * What a run of the fault suite is made of, from the settings `npm run faults` passes (see
 * scripts/faults.js): the scenarios, how many trials each runs, and the seed of each trial.
 */

/** Trials of "service killed" (the other scenarios run a share of them): KEYSERVICE_FAULT_TRIALS (`--trials N`). */
export const TRIALS = Number(process.env.KEYSERVICE_FAULT_TRIALS ?? 5);
/** The first seed: KEYSERVICE_FAULT_SEED (`--seed S`). */
export const FIRST_SEED = Number(process.env.KEYSERVICE_FAULT_SEED ?? 20261203);
const DEFAULT_COUNT = 50;
/** Global API keys per stack: KEYSERVICE_FAULT_KEYS (`--keys K`). */
export const COUNT = Number(process.env.KEYSERVICE_FAULT_KEYS ?? DEFAULT_COUNT);

/**
 * The scenarios, one test file each (`test/faults/<name>.test.ts`): where their seeds start from
 * FIRST_SEED in a run of them all (so no two trials share one), and their share of TRIALS.
 */
const SCENARIOS = {
  "service-killed": { offset: 0, trials: (n: number) => n },
  "service-killed-on-answers": { offset: 50, trials: () => 1 },
  // As many as "service killed" up to 5 (all of `npm test`'s), then 2 in 5 of them: each is ~2 min.
  "engine-killed": { offset: 100, trials: (n: number) => Math.max(Math.min(n, 5), Math.ceil((n * 2) / 5)) },
  "bad-network": { offset: 200, trials: (n: number) => Math.max(1, Math.ceil(n / 5)) },
};

export type Scenario = keyof typeof SCENARIOS;

/** The scenario `--scenario X` selected (KEYSERVICE_FAULT_SCENARIO): its trials run from FIRST_SEED exactly, TRIALS of them. */
const SELECTED = process.env.KEYSERVICE_FAULT_SCENARIO;

/** The seeds of a scenario's trials, one a trial. */
export function seedsOf(scenario: Scenario): number[] {
  const { offset, trials } = SCENARIOS[scenario];
  const [first, count] = SELECTED === scenario ? [FIRST_SEED, TRIALS] : [FIRST_SEED + offset, trials(TRIALS)];
  return Array.from({ length: count }, (_, i) => first + i);
}

/** The command that runs one trial again, exactly: its scenario alone, from its own seed. */
export function replayCommand(scenario: Scenario, seed: number): string {
  const keys = COUNT === DEFAULT_COUNT ? "" : ` --keys ${COUNT}`;
  return `npm run faults -- --scenario ${scenario} --seed ${seed} --trials 1${keys}`;
}
