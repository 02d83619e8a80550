import SwaggerParser from "@apidevtools/swagger-parser";
import { openApiDocument, pathParamNames, type RouteDef, routes } from "@keyservice/sdk";
import { rawRequest } from "../helpers/http";
import { startTestService, type TestService } from "../helpers/service";

/** The OpenAPI document is generated from the route table and served by the service itself. */
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc?.close());

describe("GET /openapi.json", () => {
  it("serves a valid OpenAPI 3.1 document (checked by swagger-parser), the same the sdk generates", async () => {
    const res = await rawRequest(svc.url, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    await expect(SwaggerParser.validate(structuredClone(res.json))).resolves.toMatchObject({ openapi: "3.1.0" });
  });

  it("documents every route of the table, with its path, query and idempotency parameters", () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; operationId: string }>> };
    for (const [name, def] of Object.entries(routes) as [string, RouteDef][]) {
      const op = doc.paths[def.path]?.[def.method.toLowerCase()];
      expect({ name, operationId: op?.operationId }).toEqual({ name, operationId: name });
      const parameters = op.parameters.map((p) => `${p.in}:${p.name}`);
      for (const p of pathParamNames(def.path)) expect(parameters).toContain(`path:${p}`);
      if (def.query) expect(parameters.filter((p) => p.startsWith("query:")).length).toBeGreaterThan(0);
      if (def.idempotent) expect(parameters).toContain("header:Idempotency-Key");
    }
    const list = doc.paths[routes.listAuditEvents.path].get.parameters.map((p) => p.name);
    expect(list).toEqual(expect.arrayContaining(["limit", "cursor", "action", "order"]));
  });
});

describe("/docs", () => {
  it("serves the API reference page and its assets, offline", async () => {
    const page = await rawRequest(svc.url, "GET", "/docs/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect((await rawRequest(svc.url, "GET", "/docs/static/swagger-ui-bundle.js")).status).toBe(200);
  });
});
