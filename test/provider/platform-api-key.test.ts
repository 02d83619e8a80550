import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { configureRuntime, runtime } from "./runtime-helpers";

describe("PlatformApiKey and Deployment provider methods against a live service", () => {
  let svc: TestService;
  let token: string;
  const ledger = new SecretLedger();
  const pak = runtime("PlatformApiKey");
  const deployment = runtime("Deployment");

  beforeAll(async () => {
    svc = await startTestService();
    token = ledger.add((await svc.bootstrap("pakprov")).adminToken);
    configureRuntime(svc, "pakprov", token);
  });
  afterAll(() => svc.close());

  it("check refuses an unknown permission, quoting it", async () => {
    const { failures } = await pak.check({}, { name: "bot", permission: "admin" });
    expect(failures).toEqual([{ property: "permission", reason: 'permission "admin" must be "read", "read_write" or "full_access".' }]);
  });

  it("creates a read key by default, and a permission change is an in-place update", async () => {
    const { inputs } = await pak.check({}, { name: "bot" });
    const { id, outs } = await pak.create(inputs!);
    ledger.add(outs.key as string);
    expect(outs).toMatchObject({ permission: "read", version: 1 });
    const asBot = svc.client(outs.key as string, "pakprov");
    await expect(asBot.deployments.list()).resolves.toMatchObject({ items: [] });
    await expect(asBot.deployments.create({ name: "nope" })).rejects.toMatchObject({ httpStatus: 403 });

    const { inputs: upgraded } = await pak.check(outs, { name: "bot", permission: "read_write" });
    const { outs: after } = await pak.update(id, outs, upgraded!);
    expect(after).toMatchObject({ permission: "read_write", version: 1, key: outs.key });
    await expect(asBot.deployments.create({ name: "now-allowed" })).resolves.toMatchObject({ name: "now-allowed" });
  });

  it("manages a deployment: create, rename in place, delete", async () => {
    const { inputs } = await deployment.check({}, { name: "orders" });
    const { id, outs } = await deployment.create(inputs!);
    expect(outs).toMatchObject({ name: "orders", active: true });
    const { outs: renamed } = await deployment.update(id, outs, { name: "orders-v2", active: true });
    expect(renamed.name).toBe("orders-v2");
    await deployment.delete(id, renamed);
    await expect(deployment.read(id, renamed)).resolves.toEqual({ id: "", props: {} });
  });
});
