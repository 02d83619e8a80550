import { MEMBERS_PROGRAM, type KeysStack, startKeysStack, stopKeysStack } from "./support";

/** The engine's diagnostics for failed checks, once each (it prints them in the progress and again at the end). */
const problems = (output: string) => [...new Set(output.split("\n").filter((line) => /^\s*error: .* has a problem: /.test(line)).map((line) => line.trim()))];

describe("check: bad inputs through pulumi up and preview", () => {
  describe("of keys and deployments", () => {
    let s: KeysStack;
    const LLM_TOO_LONG = `sk-too-long-${"q".repeat(5000)}`;

    /** The engine stops at the first resource whose check fails, so each run breaks one resource. */
    const previewProblems = async () => {
      const output = await s.project.failing("preview");
      expect(s.ledger.foundIn(output)).toEqual([]);
      return problems(output);
    };
    const unset = (key: string) => s.project.stack.removeConfig(key);

    beforeAll(async () => {
      s = await startKeysStack("acme-check", {
        platformRotateAfter: "soon",
        platformPermission: "admin",
        platformGrace: "8d",
        platformExtraTriggers: JSON.stringify({ bad: { nested: true } }),
      });
      // A secret trigger beside the bad one: it may never be printed.
      await s.project.setConfig("platformSecretTrigger", s.ledger.add("check-trigger-secret-5d1c0b9a"), true);
      s.ledger.add(LLM_TOO_LONG);
    }, 60_000);

    afterAll(() => stopKeysStack(s));

    it("fails with one sentence per bad field, naming it and quoting the value, and creates no key", async () => {
      const output = await s.project.failing("up");
      expect(output).toContain('rotateAfter "soon" must be a duration such as "90d", "12h", "30m" or "1h30m".');
      expect(output).toContain('permission "admin" must be "read", "read_write" or "full_access".');
      expect(output).toContain('rotationGracePeriod "8d" (sent as gracePeriodSeconds 691200) must be 0 to 604800 (7 days).');
      expect((await s.admin.platformApiKeys.list()).items).toEqual([]);
      expect(s.ledger.foundIn(output)).toEqual([]);
    });

    it("reports a property on the property (the engine prints its value), and a trigger on the resource, never with its value", async () => {
      expect(await previewProblems()).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/PlatformApiKey resource 'platform': property permission value \{admin\} has a problem: permission "admin" must be "read", "read_write" or "full_access"\.$/),
          expect.stringMatching(/PlatformApiKey resource 'platform' has a problem: rotationTriggers\["bad"\] must be a string, number or boolean\.$/),
        ]),
      );
    });

    it("reports an LLM key's secret that the service would refuse on the resource, without its value", async () => {
      for (const key of ["platformRotateAfter", "platformPermission", "platformGrace", "platformExtraTriggers"]) await unset(key);
      await s.project.setConfig("llmApiKey", LLM_TOO_LONG, true);
      expect(await previewProblems()).toEqual([expect.stringMatching(/LlmKey resource 'llm' has a problem: apiKey must be at most 4096 characters\.$/)]);
    });

    it("names a global key's bad expiresAt", async () => {
      await s.project.setConfig("llmApiKey", s.llmApiKey, true);
      await s.project.setConfig("globalExpiresAt", "tomorrow");
      expect(await previewProblems()).toEqual([
        expect.stringMatching(/GlobalApiKey resource 'global': property expiresAt value \{tomorrow\} has a problem: expiresAt "tomorrow" must be an ISO-8601 instant with an offset, like 2026-12-31T23:59:59Z\.$/),
      ]);
    });

    it("names a deployment's bad name", async () => {
      await unset("globalExpiresAt");
      await s.project.setConfig("deploymentName", "orders ");
      expect(await previewProblems()).toEqual([
        expect.stringMatching(/Deployment resource 'target': property name value \{orders \} has a problem: name "orders " must not start or end with spaces\.$/),
      ]);
    });

    it("runs once every value is good", async () => {
      await unset("deploymentName");
      await s.project.up();
    });

    it("never printed a secret: not the token, the LLM keys, nor the secret trigger", () => {
      expect(s.ledger.size).toBe(4);
      expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
      expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    });
  });

  describe("of a member", () => {
    let s: KeysStack;

    beforeAll(async () => {
      s = await startKeysStack("acme-check-member", { memberName: " ci", memberRole: "owner", memberRotateAfter: "monthly" }, MEMBERS_PROGRAM);
    }, 60_000);

    afterAll(() => stopKeysStack(s));

    it("fails with one sentence per bad field and creates no member", async () => {
      const lines = problems(await s.project.failing("up"));
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/property name value \{ ci\} has a problem: name " ci" must not start or end with spaces\.$/),
          expect.stringMatching(/property role value \{owner\} has a problem: role "owner" must be "admin" or "member"\.$/),
          expect.stringMatching(/property rotateAfter value \{monthly\} has a problem: rotateAfter "monthly" must be a duration/),
        ]),
      );
      // Only the admin that bootstrap made.
      expect((await s.admin.members.list()).items).toHaveLength(1);
      expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
    });
  });
});
