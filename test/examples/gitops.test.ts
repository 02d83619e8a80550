import { expectNoSecretsInService } from "../helpers/leaks";
import { PulumiProject } from "../helpers/pulumi";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { exampleDir, namesOf } from "./support";

describe("examples/gitops through pulumi up", () => {
  const ledger = new SecretLedger();
  let svc: TestService;
  let project: PulumiProject;
  let adminToken: string;
  let pipelineToken: string;
  let outs: Record<string, any>;

  beforeAll(async () => {
    svc = await startTestService();
    ({ adminToken } = await svc.bootstrap("acme"));
    ledger.add(adminToken);
    const admin = svc.client(adminToken, "acme");
    // The other team's deployment, which the program only looks up.
    await admin.deployments.create({ name: "payments" });
    // The pipeline's own token: a full_access platform key an admin made once.
    pipelineToken = ledger.add((await admin.platformApiKeys.create({ name: "gitops-pipeline", permission: "full_access" })).key);
    // As in the workflow: endpoint and org in the stack config, the token only in the environment.
    project = await PulumiProject.create({
      programDir: exampleDir("gitops"),
      config: { "keyservice:endpoint": svc.url, "keyservice:org": "acme" },
      env: { KEYSERVICE_TOKEN: pipelineToken },
    });
  }, 120_000);

  afterAll(async () => {
    project?.cleanup();
    await svc?.close();
  });

  it("applies on main with the pipeline's token from the environment", async () => {
    await project.up();
    outs = await project.outputs(true);
    for (const name of ["storefrontKey", "paymentsSmokeTestsKey", "previewReadToken", "dashboardReadToken"]) ledger.add(outs[name]);
    expect(outs.scopes).toEqual({ storefront: ["checkout", "payments"], paymentsSmokeTests: ["payments"] });
  }, 60_000);

  it("exports every key as a secret output", async () => {
    const masked = await project.outputs(false);
    for (const name of ["storefrontKey", "paymentsSmokeTestsKey", "previewReadToken", "dashboardReadToken"]) expect(masked[name]).toBe("[secret]");
    expect(masked.keyHints.storefront).toBe(outs.keyHints.storefront);
  });

  it("opens only the deployments each global key names", async () => {
    const anyone = svc.client(undefined, "acme");
    await expect(anyone.deployments.execute("checkout", outs.storefrontKey)).resolves.toMatchObject({ deployment: "checkout", keyKind: "global" });
    await expect(anyone.deployments.execute("payments", outs.storefrontKey)).resolves.toMatchObject({ deployment: "payments", keyKind: "global" });
    await expect(anyone.deployments.execute("payments", outs.paymentsSmokeTestsKey)).resolves.toMatchObject({ deployment: "payments" });
    await expect(anyone.deployments.execute("checkout", outs.paymentsSmokeTestsKey)).rejects.toMatchObject({ httpStatus: 401 });
  });

  it("gives the read-only jobs read keys that can list but not mint", async () => {
    const tiers = await svc.db.query<{ name: string; permission: string }>("SELECT name, permission FROM api_keys WHERE kind = 'platform' ORDER BY name");
    expect(tiers).toEqual([
      { name: "gitops-pipeline", permission: "full_access" },
      { name: "key-dashboard", permission: "read" },
      { name: "pipeline-preview", permission: "read" },
    ]);
    const dashboard = svc.client(outs.dashboardReadToken, "acme");
    expect(namesOf(await dashboard.globalApiKeys.list())).toEqual(["payments-smoke-tests", "storefront"]);
    await expect(dashboard.globalApiKeys.create({ name: "sneaky", allowAllDeployments: true })).rejects.toMatchObject({ httpStatus: 403 });
  });

  it("previews a pull request with the read token alone and finds no changes", async () => {
    const r = await project.ok(["preview", "--expect-no-changes"], { KEYSERVICE_TOKEN: outs.previewReadToken });
    expect(r.stdout).toMatch(/6 unchanged/);
  }, 60_000);

  it("reports no changes on a second up", async () => {
    await project.up(["--expect-no-changes"]);
  }, 60_000);

  it("keeps every secret out of the backend, the transcript, and the service's database and logs", async () => {
    await expectNoSecretsInService(ledger, svc, { dirs: [project.backendDir], texts: { transcript: project.transcript() } });
  });

  it("destroys what it made and leaves the other team's deployment alone", async () => {
    await project.destroy();
    const admin = svc.client(adminToken, "acme");
    expect(namesOf(await admin.deployments.list())).toEqual(["payments"]);
    expect(namesOf(await admin.globalApiKeys.list())).toEqual([]);
    expect(namesOf(await admin.platformApiKeys.list())).toEqual(["gitops-pipeline"]);
  }, 60_000);
});
