import path from "node:path";
import { expectNoSecretsInService } from "../helpers/leaks";
import { AutomationStack } from "../helpers/automation";
import { SecretLedger } from "../helpers/secrets";
import { REPO_ROOT, startTestService, type TestService } from "../helpers/service";

describe("examples/quickstart through pulumi up", () => {
  let svc: TestService;
  let project: AutomationStack;
  let adminToken: string;
  const ledger = new SecretLedger();

  beforeAll(async () => {
    svc = await startTestService();
    ({ adminToken } = await svc.bootstrap("quick"));
    ledger.add(adminToken);
    project = await AutomationStack.create({
      programDir: path.join(REPO_ROOT, "examples/quickstart"),
      config: { "keyservice:endpoint": svc.url, "keyservice:org": "quick" },
      secrets: { "keyservice:token": adminToken, "keyservice-quickstart:openaiApiKey": ledger.add("sk-quickstart-test-5f0c1a7e9b") },
    });
  }, 120_000);

  afterAll(async () => {
    project?.cleanup();
    await svc?.close();
  });

  it("creates every resource, and the issued global key opens its deployment", async () => {
    await project.up();
    const outs = await project.outputs();
    ledger.add(outs.ciKey);
    ledger.add(outs.automationKey);
    const admin = svc.client(adminToken, "quick");
    await expect(admin.deployments.execute("invoices", outs.ciKey)).resolves.toMatchObject({ deployment: "invoices", keyKind: "global", keyId: outs.ciKeyId });
  }, 120_000);

  it("reports no changes on a second up", async () => {
    const r = await project.up({ expectNoChanges: true });
    expect(r.summary.resourceChanges).toEqual({ same: 6 });
  }, 120_000);

  it("keeps every secret out of the backend files, the transcript, and the service's database and logs", async () => {
    expect(ledger.foundInFiles(project.backendDir)).toEqual([]);
    expect(ledger.foundIn(project.transcript())).toEqual([]);
    await expectNoSecretsInService(ledger, svc);
  });

  it("destroys everything it made", async () => {
    await project.destroy();
    const admin = svc.client(adminToken, "quick");
    expect((await admin.deployments.list()).items).toEqual([]);
  }, 120_000);
});
