import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AutomationStack } from "../helpers/automation";
import { SecretLedger } from "../helpers/secrets";
import { type KeysStack, revealOutputs, startKeysStack, stopKeysStack } from "./support";

// How the engine marks a secret in state: this signature, and the value as ciphertext beside it.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const encrypted = { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) };

const DEFAULT_PROVIDER = "pulumi:providers:pulumi-nodejs";
const providerInputs = (project: AutomationStack) => project.resources().find((r) => r.type === DEFAULT_PROVIDER)?.inputs;

/** Every checkpoint file of the stack's history (the engine writes one per update, with that update's config). */
function historyFiles(backendDir: string): string[] {
  const dir = path.join(backendDir, "state", ".pulumi", "history");
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => f.endsWith(".json"));
}

/** `pulumi config set --plaintext keyservice:token`, the value on stdin (as every config value is set) so that no command line holds it. */
const setPlaintextToken = (project: AutomationStack, token: string) => project.setConfig("keyservice:token", token);

describe("keyservice:token in the stack config, through the real engine", () => {
  describe("what the engine stores (a program that is not keyservice's, so nothing refuses)", () => {
    let project: AutomationStack;
    const ledger = new SecretLedger();
    // A random stand-in, made here: nothing that looks like an issued token sits in the tree.
    const token = ledger.add(`ks_usr_ConfigProbe${randomBytes(16).toString("hex")}`);

    beforeAll(async () => {
      project = await AutomationStack.create({ programDir: path.join(__dirname, "programs/config-probe"), env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    }, 60_000);

    afterAll(() => project?.cleanup());

    it("keeps a token set with --secret only as ciphertext: in the default provider's inputs and nowhere in plain text", async () => {
      await project.setConfig("keyservice:token", token, true);
      await project.up();
      expect(providerInputs(project)["keyservice:token"]).toEqual(encrypted);
      expect(ledger.foundInFiles(project.backendDir)).toEqual([]);
    });

    it("stores a token set with --plaintext in plain text: in the stack file (the default provider's inputs) and the update's history", async () => {
      await setPlaintextToken(project, token);
      await project.up();
      expect(providerInputs(project)["keyservice:token"]).toBe(token);
      const files = ledger.foundInFiles(project.backendDir).map((hit) => path.relative(project.backendDir, hit.file));
      expect(files).toContain(path.relative(project.backendDir, project.stackFile()));
      expect(files.some((f) => f.includes(`${path.sep}history${path.sep}`))).toBe(true);
    });
  });

  describe("a keyservice program", () => {
    let s: KeysStack;
    let first: Record<string, any>;

    beforeAll(async () => {
      s = await startKeysStack("acme-token-config");
      await s.project.up();
      first = await revealOutputs(s);
    }, 90_000);

    afterAll(() => stopKeysStack(s));

    it("with the token set by --secret (as the tests set it): the token is in state only as ciphertext", async () => {
      expect(providerInputs(s.project)["keyservice:token"]).toEqual(encrypted);
      expect(fs.readFileSync(s.project.stackFile(), "utf8")).toContain('"ciphertext"');
      expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);
    });

    it("with the token set by --plaintext: preview and up refuse to run, naming the fix, and change nothing", async () => {
      await setPlaintextToken(s.project, s.adminToken);
      const before = historyFiles(s.project.backendDir).length;

      const previewOutput = await s.project.failing("preview");
      expect(previewOutput).toContain("keyservice:token is set in plain text, so the engine would store it unencrypted in the stack's state and history.");
      expect(previewOutput).toContain("`pulumi config set --secret keyservice:token <token>`");
      // A refusal is an error, not a crash: no stack trace of the program.
      expect(previewOutput).not.toMatch(/at new \w+ \(/);
      // A preview writes no history: the plaintext token reached no backend file.
      expect(historyFiles(s.project.backendDir)).toHaveLength(before);
      expect(s.ledger.foundInFiles(s.project.backendDir)).toEqual([]);

      expect(await s.project.failing("up")).toContain("`pulumi config set --secret keyservice:token <token>`");
      await expect(s.admin.globalApiKeys.get(first.globalKeyId)).resolves.toMatchObject({ version: 1 });
      // The refused program registered nothing: the stack file keeps the token as it was, encrypted...
      expect(providerInputs(s.project)["keyservice:token"]).toEqual(encrypted);
      expect(s.ledger.foundIn(fs.readFileSync(s.project.stackFile(), "utf8"))).toEqual([]);
      // ...but the engine had already written this update's config, token included, into its history.
      const leaked = s.ledger.foundInFiles(s.project.backendDir).map((hit) => hit.file);
      expect(leaked.length).toBeGreaterThan(0);
      expect(leaked.every((f) => f.includes(`${path.sep}history${path.sep}`))).toBe(true);
    });

    it("runs again once the token is a secret", async () => {
      await s.project.setConfig("keyservice:token", s.adminToken, true);
      await s.project.preview({ expectNoChanges: true });
    });

    it("never printed the token", () => {
      expect(s.ledger.foundIn(s.project.transcript())).toEqual([]);
      expect(s.ledger.foundIn(fs.readFileSync(path.join(s.project.dir, `Pulumi.${s.project.stack.name}.yaml`), "utf8"))).toEqual([]);
    });
  });
});
