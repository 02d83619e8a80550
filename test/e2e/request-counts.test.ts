import { FLEET_PROGRAM } from "../faults/support";
import { type KeysStack, requestsDuring, startKeysStack, stopKeysStack } from "./support";

const KEYS = 5;
const CREATE = "POST /api/v1/orgs/:org/global-api-keys";
const ROTATE = "POST /api/v1/orgs/:org/global-api-keys/:id/rotate";
const DELETE = "DELETE /api/v1/orgs/:org/global-api-keys/:id";

// Counts, never durations: each operation of the provider is one request per key, and nothing
// else (no read before or after a create or a rotation, no request during a plan).
describe(`the requests a stack of ${KEYS} global API keys makes, counted by the service`, () => {
  let s: KeysStack;

  beforeAll(async () => {
    s = await startKeysStack("acme-counts", { count: String(KEYS) }, FLEET_PROGRAM);
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  it(`creates ${KEYS} keys with ${KEYS} creates`, async () => {
    expect(await requestsDuring(s.svc, () => s.project.up())).toEqual({ [CREATE]: KEYS });
  });

  it("previews the unchanged stack without a request", async () => {
    expect(await requestsDuring(s.svc, () => s.project.preview({ expectNoChanges: true }))).toEqual({});
  });

  it(`rotates all ${KEYS} with ${KEYS} rotations`, async () => {
    await s.project.setConfig("generation", "2");
    expect(await requestsDuring(s.svc, () => s.project.up())).toEqual({ [ROTATE]: KEYS });
  });

  it(`destroys the ${KEYS} keys with ${KEYS} deletes`, async () => {
    expect(await requestsDuring(s.svc, () => s.project.destroy())).toEqual({ [DELETE]: KEYS });
  });
});
