import { SecretLedger } from "../helpers/secrets";
import { startTestService, type TestService } from "../helpers/service";
import { checkedInputs, configureRuntime, runtime } from "./runtime-helpers";

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

  it("check names each bad property of a platform key, in the resource's terms", async () => {
    const { failures } = await pak.check({}, { name: "bot ", active: 1, expiresAt: "2026-12-31T23:59:59", rotationGracePeriod: "1 hour" });
    expect(failures).toEqual([
      { property: "name", reason: 'name "bot " must not start or end with spaces.' },
      { property: "active", reason: "active 1 must be true or false (it is a number)." },
      { property: "expiresAt", reason: 'expiresAt "2026-12-31T23:59:59" must be an ISO-8601 instant with an offset, like 2026-12-31T23:59:59Z.' },
      { property: "rotationGracePeriod", reason: 'rotationGracePeriod "1 hour" must be a duration such as "90d", "12h", "30m" or "1h30m".' },
    ]);
  });

  it("check names each bad property of a deployment, and skips unknown values", async () => {
    expect((await deployment.check({}, { name: "..", active: "no" })).failures).toEqual([
      { property: "name", reason: 'name ".." must not be "." or "..".' },
      { property: "active", reason: 'active "no" must be true or false (it is a string).' },
    ]);
    expect((await deployment.check({}, { name: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", active: 3 })).failures).toEqual([
      { property: "active", reason: "active 3 must be true or false (it is a number)." },
    ]);
  });

  it("creates a read key by default, and a permission change is an in-place update", async () => {
    const { id, outs } = await pak.create(checkedInputs(await pak.check({}, { name: "bot" })));
    ledger.add(outs.key);
    expect(outs).toMatchObject({ permission: "read", version: 1 });
    const asBot = svc.client(outs.key, "pakprov");
    await expect(asBot.deployments.list()).resolves.toMatchObject({ items: [] });
    await expect(asBot.deployments.create({ name: "nope" })).rejects.toMatchObject({ httpStatus: 403 });

    const upgraded = checkedInputs(await pak.check(outs, { name: "bot", permission: "read_write" }));
    const { outs: after } = await pak.update(id, outs, upgraded);
    expect(after).toMatchObject({ permission: "read_write", version: 1, key: outs.key });
    await expect(asBot.deployments.create({ name: "now-allowed" })).resolves.toMatchObject({ name: "now-allowed" });
  });

  it("manages a deployment: create, rename in place, delete", async () => {
    const { id, outs } = await deployment.create(checkedInputs(await deployment.check({}, { name: "orders" })));
    expect(outs).toMatchObject({ name: "orders", active: true });
    const { outs: renamed } = await deployment.update(id, outs, { name: "orders-v2", active: true });
    expect(renamed.name).toBe("orders-v2");
    await deployment.delete(id, renamed);
    await expect(deployment.read(id, renamed)).resolves.toEqual({ id: "", props: {} });
  });
});
