import { ErrorBody, openApiDocument, type RouteDef, routes } from "@keyservice/sdk";
import { rawRequest } from "../helpers/http";
import { startTestService, type TestService } from "../helpers/service";

const ALL = Object.entries(routes) as [string, RouteDef][];

describe("the contract in sdk/src/routes.ts", () => {
  let svc: TestService;
  let token: string;

  beforeAll(async () => {
    svc = await startTestService();
    token = (await svc.bootstrap("contract")).adminToken;
  });
  afterAll(() => svc.close());

  it.each(ALL)("%s is served by the service", async (_name, def) => {
    const path = def.path.replace(/\{(\w+)\}/g, (_, p: string) => (p === "org" ? "contract" : p === "name" ? "nothing-here" : "01a20815-ebbb-7e1d-8685-0c57f0f5eb60"));
    const res = await rawRequest(svc.url, def.method, path, { headers: { authorization: `Bearer ${token}` }, body: def.body ? {} : undefined });
    // Any answer but the router's own "no such route" proves the route is registered.
    if (res.status === 404) expect(ErrorBody.parse(res.json).error.message).not.toMatch(/^There is no route/);
    expect(res.status).toBeLessThan(500);
  });

  it("is documented whole in the OpenAPI document", () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };
    const documented = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(documented.sort()).toEqual(ALL.map(([name]) => name).sort());
  });
});
