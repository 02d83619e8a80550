import { expectNoSecretsInService } from "../helpers/leaks";
import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { checkedInputs, configureRuntime, found, runtime } from "./runtime-helpers";

describe("Deployment provider methods against a live service", () => {
  let svc: TestService;
  let token: string;
  const ledger = new SecretLedger();
  const dep = runtime("Deployment");
  const named = async (name: string) => (await svc.client(token, "depprov").deployments.list({ limit: 100 })).items.filter((d) => d.name === name);

  beforeAll(async () => {
    svc = await startTestService();
    token = ledger.add((await svc.bootstrap("depprov")).adminToken);
    configureRuntime(svc, "depprov", token);
  });
  afterAll(() => svc.close());

  describe("converging after an answer was lost", () => {
    const program = { name: "invoices", managedBy: "proj/stack/Deployment/invoices" };

    it("a create sent again by the next up replays the first one: one deployment, the same id", async () => {
      const first = await dep.create(checkedInputs(await dep.check({}, program)));
      const second = await dep.create(checkedInputs(await dep.check({}, program)));
      expect(second.id).toBe(first.id);
      expect(second.outs).toMatchObject({ name: "invoices", active: true, managedBy: program.managedBy });
      expect((await named("invoices")).map((d) => d.id)).toEqual([first.id]);
    });

    it("a deployment destroyed and created again by the same stack resource is a new one, not the dead id", async () => {
      const first = await dep.create(checkedInputs(await dep.check({}, { ...program, name: "reports", managedBy: "proj/stack/Deployment/reports" })));
      await dep.delete(first.id, first.outs);
      const again = await dep.create(checkedInputs(await dep.check({}, { ...program, name: "reports", managedBy: "proj/stack/Deployment/reports" })));
      expect(again.id).not.toBe(first.id);
      expect(found(await dep.read(again.id, again.outs)).props).toMatchObject({ name: "reports" });
    });

    it("another stack resource with the same name gets its own create (409), never the first one's deployment", async () => {
      await expect(dep.create(checkedInputs(await dep.check({}, { ...program, managedBy: "proj/other/Deployment/invoices" })))).rejects.toThrow(/409/);
    });

    it("without managedBy (state written before it) sends no Idempotency-Key: a second create is a 409", async () => {
      await dep.create(checkedInputs(await dep.check({}, { name: "unmanaged" })));
      await expect(dep.create(checkedInputs(await dep.check({}, { name: "unmanaged" })))).rejects.toThrow(/409/);
    });

    it("plans no change when managedBy first appears beside state written without it, and read keeps it", async () => {
      const { id, outs } = await dep.create(checkedInputs(await dep.check({}, { name: "billing" })));
      const inputs = checkedInputs(await dep.check({ name: "billing", active: true }, { name: "billing", managedBy: "proj/stack/Deployment/billing" }));
      await expect(dep.diff(id, outs, inputs)).resolves.toEqual({ changes: false });
      const { outs: renamed } = await dep.update(id, outs, { ...inputs, name: "billing-2" });
      const read = found(await dep.read(id, renamed));
      expect(read.props).toMatchObject({ name: "billing-2", managedBy: "proj/stack/Deployment/billing" });
      expect(read.inputs).toEqual({ name: "billing-2", active: true, managedBy: "proj/stack/Deployment/billing" });
    });
  });

  it("leaves no secret in the database or logs", async () => {
    await expectNoSecretsInService(ledger, svc);
  });
});
