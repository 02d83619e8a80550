import type { AuditEvent } from "@keyservice/sdk";
import { detailPaths, expectApiError } from "../helpers/api";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();

describe("GET /api/v1/orgs/:org/audit-events?order=desc", () => {
  beforeAll(async () => {
    for (let i = 0; i < 4; i++) await suite.org.admin.deployments.create({ name: uniqueName("d") });
  });

  it("lists newest first and pages backwards with the cursor", async () => {
    const ascending = (await suite.org.admin.auditEvents.list({ limit: 100 })).items;
    const descending: AuditEvent[] = [];
    let cursor: string | undefined;
    do {
      const page = await suite.org.admin.auditEvents.list({ limit: 2, cursor, order: "desc" });
      descending.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ascending.length).toBeGreaterThanOrEqual(5);
    expect(descending.map((e) => e.id)).toEqual(ascending.map((e) => e.id).reverse());
  });

  it("filters by action newest first", async () => {
    const page = await suite.org.admin.auditEvents.list({ action: "deployment.create", order: "desc" });
    expect(page.items).toHaveLength(4);
    expect(page.items.map((e) => e.id)).toEqual(page.items.map((e) => e.id).sort().reverse());
  });

  it("returns 422 naming query.order for another order", async () => {
    const err = await expectApiError(suite.org.admin.http.call("listAuditEvents", { query: { order: "sideways" } }), 422, "validation_failed");
    expect(detailPaths(err)).toEqual(["query.order"]);
  });
});
