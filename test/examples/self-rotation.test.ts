import { expectNoSecretsInService } from "../helpers/leaks";
import { PulumiProject } from "../helpers/pulumi";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { exampleDir, namesOf } from "./support";

const DAY = 86_400_000;

describe("examples/self-rotation through pulumi up", () => {
  const ledger = new SecretLedger();
  let svc: TestService;
  let project: PulumiProject;
  let adminToken: string;
  let automationId: string;
  let first: Record<string, any>;
  let second: Record<string, any>;

  /** The README's read-back: `pulumi stack output --show-secrets automationKey | pulumi config set --secret keyservice:token`. */
  async function readBack(): Promise<string> {
    const out = await project.ok(["stack", "output", "--show-secrets", "automationKey"], {}, { reveals: true });
    await project.setConfig("keyservice:token", out.stdout, true);
    const stored = await project.ok(["config", "get", "--json", "keyservice:token"], {}, { reveals: true });
    return JSON.parse(stored.stdout).value;
  }

  /** `pulumi stack output tokenIsCurrent`, as the README's pipeline snippet reads it. */
  async function tokenIsCurrent(): Promise<string> {
    return (await project.ok(["stack", "output", "tokenIsCurrent"])).stdout.trim();
  }

  function admin() {
    return svc.client(adminToken, "selfrot");
  }

  beforeAll(async () => {
    svc = await startTestService();
    ({ adminToken } = await svc.bootstrap("selfrot"));
    ledger.add(adminToken);
    project = await PulumiProject.create({
      programDir: exampleDir("self-rotation"),
      config: { "keyservice:endpoint": svc.url, "keyservice:org": "selfrot" },
      secrets: { "keyservice:token": adminToken },
    });
  }, 120_000);

  afterAll(async () => {
    project?.cleanup();
    await svc?.close();
  });

  it("creates its own full_access key on a first up with an admin's token", async () => {
    await project.up();
    first = await project.outputs(true);
    ledger.add(first.automationKey);
    ledger.add(first.apiClientKey);
    expect(first.automationKeyVersion).toBe(1);
    expect(await tokenIsCurrent()).toBe("false");
    const [row] = await svc.db.query<{ id: string; permission: string }>("SELECT id, permission FROM api_keys WHERE name = 'automation'");
    expect(row.permission).toBe("full_access");
    automationId = row.id;
  }, 60_000);

  it("stores the read-back key exactly, and then runs on it with no changes", async () => {
    expect(await readBack()).toBe(first.automationKey);
    await project.up(["--expect-no-changes"]);
    expect(await tokenIsCurrent()).toBe("true");
  }, 60_000);

  it("rotates its own key with that key, and the previous secret still works", async () => {
    await project.setConfig("keyservice-self-rotation:rotation", "after-suspected-leak");
    await project.up();
    second = await project.outputs(true);
    ledger.add(second.automationKey);
    expect(second.automationKeyVersion).toBe(2);
    expect(await tokenIsCurrent()).toBe("false");
    expect(second.automationKey).not.toBe(first.automationKey);
    // The stack authenticated as the automation key itself, not as the admin.
    const rotations = (await admin().auditEvents.list({ limit: 100 })).items.filter((e) => e.action === "platform_api_key.rotate");
    expect(rotations).toEqual([expect.objectContaining({ actor: `platform_api_key:${automationId}`, target: automationId })]);
    const key = await admin().platformApiKeys.get(automationId);
    expect(Date.parse(key.previousKeyExpiresAt!) - Date.parse(key.rotatedAt!)).toBe(DAY);
    expect(second.previousKeyExpiresAt).toBe(key.previousKeyExpiresAt);
    // Both secrets authenticate until the grace period ends; the config still holds the first.
    await expect(svc.client(first.automationKey, "selfrot").platformApiKeys.get(automationId)).resolves.toMatchObject({ version: 2 });
    await expect(svc.client(second.automationKey, "selfrot").platformApiKeys.get(automationId)).resolves.toMatchObject({ version: 2 });
  }, 60_000);

  it("runs on the new key once it is read back", async () => {
    expect(await readBack()).toBe(second.automationKey);
    await project.up(["--expect-no-changes"]);
    expect(await tokenIsCurrent()).toBe("true");
  }, 60_000);

  it("keeps every secret out of the backend, the transcript, and the service's database and logs", async () => {
    await expectNoSecretsInService(ledger, svc, { dirs: [project.backendDir], texts: { transcript: project.transcript() } });
  });

  it("destroys everything with its own key, revoking that key last", async () => {
    await project.destroy();
    expect(namesOf(await admin().platformApiKeys.list())).toEqual([]);
    expect(namesOf(await admin().globalApiKeys.list())).toEqual([]);
    expect(namesOf(await admin().deployments.list())).toEqual([]);
    const deletes = (await admin().auditEvents.list({ limit: 100 })).items.filter((e) => e.action.endsWith(".delete"));
    expect(deletes.map((e) => e.action).sort()).toEqual(["deployment.delete", "global_api_key.delete", "platform_api_key.delete"]);
    expect(new Set(deletes.map((e) => e.actor))).toEqual(new Set([`platform_api_key:${automationId}`]));
    expect(deletes.at(-1)).toMatchObject({ action: "platform_api_key.delete", target: automationId });
    await expect(svc.client(second.automationKey, "selfrot").platformApiKeys.list()).rejects.toMatchObject({ httpStatus: 401 });
  }, 60_000);
});
