import path from "node:path";
import { expectNoSecretsInService } from "../helpers/leaks";
import { PulumiProject } from "../helpers/pulumi";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { exampleDir, namesOf } from "./support";

const DAY = 86_400_000;
// Node processes the engine starts (program and provider) see the clock 8 days ahead.
const EIGHT_DAYS_LATER = { NODE_OPTIONS: `--require ${path.join(__dirname, "shift-clock.js")}`, KEYSERVICE_TEST_CLOCK_SHIFT_MS: String(8 * DAY) };

/** The rotation anchor each key has in state, by resource name. */
async function anchors(project: PulumiProject): Promise<Record<string, string>> {
  const state = await project.state();
  const out: Record<string, string> = {};
  for (const r of state.deployment.resources) if (r.outputs?.rotationAnchor) out[r.urn.split("::").pop()] = r.outputs.rotationAnchor;
  return out;
}

function plus(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

describe("examples/scheduled-rotation through pulumi up", () => {
  const ledger = new SecretLedger();
  let svc: TestService;
  let project: PulumiProject;
  let adminToken: string;
  let first: Record<string, any>;

  beforeAll(async () => {
    svc = await startTestService();
    ({ adminToken } = await svc.bootstrap("sched"));
    ledger.add(adminToken);
    project = await PulumiProject.create({
      programDir: exampleDir("scheduled-rotation"),
      config: { "keyservice:endpoint": svc.url, "keyservice:org": "sched" },
      secrets: { "keyservice:token": adminToken },
    });
  }, 120_000);

  afterAll(async () => {
    project?.cleanup();
    await svc?.close();
  });

  it("lists each key's next rotation as its anchor plus its rotateAfter", async () => {
    const before = Date.now();
    await project.up();
    first = await project.outputs(true);
    for (const name of ["partnerApiKey", "reportingToken", "releaseBotToken"]) ledger.add(first[name]);
    const at = await anchors(project);
    expect(Date.parse(at.reporting)).toBeGreaterThanOrEqual(before - 1000);
    expect(first.nextRotations).toEqual({ partnerApi: plus(at["partner-api"], 30 * DAY), reporting: plus(at.reporting, 7 * DAY), releaseBot: plus(at["release-bot"], 14 * DAY) });
    expect(first.versions).toEqual({ partnerApi: 1, reporting: 1, releaseBot: 1 });
    expect(first.previousKeyExpiresAt).toEqual({ partnerApi: "none", reporting: "none", releaseBot: "none" });
  }, 60_000);

  it("rotates nothing on the next daily run", async () => {
    await project.up(["--expect-no-changes"]);
  }, 60_000);

  it("rotates, eight days later, only the key whose rotateAfter has elapsed", async () => {
    await project.ok(["up", "--yes", "--skip-preview"], EIGHT_DAYS_LATER);
    const outs = await project.outputs(true);
    ledger.add(outs.reportingToken);
    expect(outs.versions).toEqual({ partnerApi: 1, reporting: 2, releaseBot: 1 });
    expect(outs.reportingToken).not.toBe(first.reportingToken);
    expect(outs.partnerApiKey).toBe(first.partnerApiKey);
    expect(outs.releaseBotToken).toBe(first.releaseBotToken);
    const at = await anchors(project);
    expect(Date.parse(at.reporting)).toBeGreaterThanOrEqual(Date.now() + 8 * DAY - 60_000);
    expect(outs.nextRotations.reporting).toBe(plus(at.reporting, 7 * DAY));
    expect(outs.nextRotations.partnerApi).toBe(first.nextRotations.partnerApi);
  }, 60_000);

  it("keeps the previous reporting token working for its one-day grace period", async () => {
    const admin = svc.client(adminToken, "sched");
    const [reporting] = (await admin.platformApiKeys.list()).items.filter((k) => k.name === "reporting");
    expect(reporting.version).toBe(2);
    expect(Date.parse(reporting.previousKeyExpiresAt!) - Date.parse(reporting.rotatedAt!)).toBe(DAY);
    const outs = await project.outputs(false);
    expect(outs.previousKeyExpiresAt.reporting).toBe(reporting.previousKeyExpiresAt);
    // Both secrets open the API until the grace period ends.
    expect(namesOf(await svc.client(first.reportingToken, "sched").platformApiKeys.list())).toContain("reporting");
    expect(namesOf(await svc.client((await project.outputs(true)).reportingToken, "sched").platformApiKeys.list())).toContain("reporting");
  });

  it("rotates nothing on the daily run after a rotation", async () => {
    await project.ok(["up", "--yes", "--skip-preview", "--expect-no-changes"], EIGHT_DAYS_LATER);
  }, 60_000);

  it("keeps every secret out of the backend, the transcript, and the service's database and logs", async () => {
    await expectNoSecretsInService(ledger, svc, { dirs: [project.backendDir], texts: { transcript: project.transcript() } });
  });

  it("destroys everything it made", async () => {
    await project.destroy();
    const admin = svc.client(adminToken, "sched");
    expect(namesOf(await admin.deployments.list())).toEqual([]);
    expect(namesOf(await admin.globalApiKeys.list())).toEqual([]);
    expect(namesOf(await admin.platformApiKeys.list())).toEqual([]);
  }, 60_000);
});
