import path from "node:path";
import { REPO_ROOT } from "../helpers/service";
import { type KeysStack, requestsDuring, startKeysStack, stopKeysStack } from "./support";

/** The program `npm run bench -- --provider` times: `count` global API keys opening one deployment, rotated when `trigger` changes. */
const BENCH_PROGRAM = path.join(REPO_ROOT, "scripts/bench/programs/keys");

const KEYS = 5;
const CREATE = "POST /api/v1/orgs/:org/global-api-keys";
const ROTATE = "POST /api/v1/orgs/:org/global-api-keys/:id/rotate";
const DELETE = "DELETE /api/v1/orgs/:org/global-api-keys/:id";

// Counts, never durations: each operation of the provider is one request per key, and nothing
// else (no read before or after a create or a rotation, no request during a plan).
describe(`the requests a stack of ${KEYS} global API keys makes, counted by the service`, () => {
  let s: KeysStack;

  beforeAll(async () => {
    s = await startKeysStack("acme-counts", { count: String(KEYS), prefix: "counted" }, BENCH_PROGRAM);
    await s.project.setConfig("deploymentId", (await s.admin.deployments.create({ name: "target" })).id);
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  it(`creates ${KEYS} keys with ${KEYS} creates`, async () => {
    expect(await requestsDuring(s.svc, () => s.project.up())).toEqual({ [CREATE]: KEYS });
  });

  it("previews the unchanged stack without a request", async () => {
    expect(await requestsDuring(s.svc, () => s.project.preview({ expectNoChanges: true }))).toEqual({});
  });

  it(`rotates all ${KEYS} with ${KEYS} rotations`, async () => {
    await s.project.setConfig("trigger", "rotated");
    expect(await requestsDuring(s.svc, () => s.project.up())).toEqual({ [ROTATE]: KEYS });
  });

  it(`destroys the ${KEYS} keys with ${KEYS} deletes`, async () => {
    expect(await requestsDuring(s.svc, () => s.project.destroy())).toEqual({ [DELETE]: KEYS });
  });
});
