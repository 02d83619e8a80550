import { type KeysStack, startKeysStack, stopKeysStack } from "./support";

describe("check: bad inputs through pulumi up", () => {
  let s: KeysStack;

  beforeAll(async () => {
    s = await startKeysStack("acme-check", { platformRotateAfter: "soon", platformPermission: "admin", platformGrace: "8d" });
  }, 60_000);

  afterAll(() => stopKeysStack(s));

  it("fails with one sentence per bad field, naming it and quoting the value, and creates no key", async () => {
    const up = await s.project.run(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    const output = up.stdout + up.stderr;
    expect(output).toContain('rotateAfter "soon" must be a duration such as "90d", "12h", "30m" or "1h30m".');
    expect(output).toContain('permission "admin" must be "read", "read_write" or "full_access".');
    expect(output).toContain('rotationGracePeriod "8d" (sent as gracePeriodSeconds 691200) must be 0 to 604800 (7 days).');
    expect((await s.admin.platformApiKeys.list()).items).toEqual([]);
    expect(s.ledger.foundIn(output)).toEqual([]);
  });
});
