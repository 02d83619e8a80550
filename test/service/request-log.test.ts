import { pollUntil } from "../helpers/wait";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

/** The service's "request" log lines for one route pattern (and method). */
function requestLines(route: string, method?: string): Record<string, unknown>[] {
  return suite.svc
    .logs()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === "request" && l.route === route && (method === undefined || l.method === method));
}

async function linesOf(route: string, count: number, method?: string): Promise<Record<string, unknown>[]> {
  return pollUntil(async () => requestLines(route, method), (lines) => lines.length >= count, { what: `${count} log lines for ${method ?? ""} ${route}` });
}

describe("the request log", () => {
  it("writes the management API's writes at info, with route, status, duration and caller, never a token", async () => {
    const dep = await suite.org.deployment();
    await suite.org.admin.deployments.update(dep.id, { isActive: false });
    const [line] = await linesOf("/api/v1/orgs/:org/deployments/:id", 1, "PATCH");
    expect(line).toEqual(expect.objectContaining({ level: 30, method: "PATCH", status: 200, ms: expect.any(Number), caller: expect.stringMatching(/^user:/) }));
    expect(suite.ledger.foundIn(suite.svc.logs())).toEqual([]);
  });

  it("writes a platform admin's reads at info: they cross orgs", async () => {
    const admin = suite.svc.client(await suite.svc.platformAdmin(uniqueName("pa")));
    await admin.admin.orgs.get(suite.org.slug);
    const [line] = await linesOf("/api/v1/admin/orgs/:slug", 1, "GET");
    expect(line).toEqual(expect.objectContaining({ level: 30, status: 200, caller: expect.stringMatching(/^platform_admin:/) }));
  });

  it("writes a read that succeeded at debug, and a read that failed at info", async () => {
    const route = "/api/v1/orgs/:org/global-api-keys/:id";
    const key = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true });
    suite.ledger.add(key.key);
    await suite.org.admin.globalApiKeys.get(key.id);
    await expect(suite.org.admin.globalApiKeys.get("00000000-0000-7000-8000-000000000000")).rejects.toMatchObject({ httpStatus: 404 });
    const lines = await linesOf(route, 2);
    expect(lines.map((l) => [l.method, l.status, l.level])).toEqual([
      ["GET", 200, 20],
      ["GET", 404, 30],
    ]);
  });

  it("marks each request's lines with its own request id (the request's logger is made only when it writes)", async () => {
    const dep = await suite.org.deployment();
    const before = requestLines("/api/v1/orgs/:org/deployments/:id").length;
    await suite.org.admin.deployments.get(dep.id);
    await suite.org.admin.deployments.get(dep.id);
    const lines = (await linesOf("/api/v1/orgs/:org/deployments/:id", before + 2)).slice(before);
    const ids = lines.map((l) => l.reqId);
    expect(ids).toEqual([expect.stringMatching(/^req-/), expect.stringMatching(/^req-/)]);
    expect(new Set(ids).size).toBe(2);
  });

  it("writes the hot paths (execute, keys/verify) at debug only: a line costs a quarter of a verification", async () => {
    const dep = await suite.org.deployment();
    const key = suite.ledger.add((await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] })).key);
    await suite.svc.client(undefined, suite.org.slug).deployments.execute(dep.name, key);
    await suite.org.admin.keys.verify(key);
    for (const route of ["/api/v1/orgs/:org/deployments/:name/execute", "/api/v1/orgs/:org/keys/verify"]) {
      const lines = await linesOf(route, 1);
      expect(lines.map((l) => l.level)).toEqual(lines.map(() => 20));
    }
    expect(suite.ledger.foundIn(suite.svc.logs())).toEqual([]);
  });
});
