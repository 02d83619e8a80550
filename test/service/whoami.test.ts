import { mayCall, type RouteDef, type RouteName, routes, Whoami } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsInService } from "../helpers/leaks";
import { type Tier, TIERS } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();
let tokens: Record<Tier, string>;

beforeAll(async () => {
  tokens = await suite.org.tierTokens();
});

describe("GET /api/v1/orgs/:org/whoami", () => {
  it("answers each caller's kind, role or tier, and org", async () => {
    const org = suite.org.slug;
    const who = async (tier: Tier) => Whoami.parse(await suite.org.client(tokens[tier]).whoami());
    expect(await who("admin")).toEqual({ kind: "user", id: expect.any(String), role: "admin", org });
    expect(await who("member")).toEqual({ kind: "user", id: expect.any(String), role: "member", org });
    for (const permission of ["read", "read_write", "full_access"] as const) {
      expect(await who(permission)).toEqual({ kind: "platform", id: expect.any(String), permission, org });
    }
  });

  it("names the platform key itself", async () => {
    const key = await suite.org.platformKey("read");
    expect(await suite.org.client(key.key).whoami()).toMatchObject({ kind: "platform", id: key.id });
  });

  it("returns 401 without a valid credential", async () => {
    await expectApiError(suite.org.client().whoami(), 401, "unauthorized");
    await expectApiError(suite.org.client(`ks_usr_${"x".repeat(43)}`).whoami(), 401, "unauthorized");
  });

  it("leaves no secret in the logs or the database", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});

describe("mayCall (what the console offers)", () => {
  const guarded = (Object.entries(routes) as [string, RouteDef][]).filter(([, def]) => def.access !== "public" && def.access !== "deployment");

  it.each(TIERS)("agrees with the service's 403s on every route for %s", async (tier) => {
    const who = Whoami.parse(await suite.org.client(tokens[tier]).whoami());
    const disagreements: string[] = [];
    for (const [name, def] of guarded) {
      // Unknown ids and empty bodies: an allowed call ends in 404 or 422 and changes nothing.
      const path = def.path.replace(/\{(\w+)\}/g, (_, p: string) => (p === "org" ? suite.org.slug : "01a20815-ebbb-7e1d-8685-0c57f0f5eb60"));
      const res = await rawRequest(suite.svc.url, def.method, path, { headers: { authorization: `Bearer ${tokens[tier]}` }, body: def.body ? {} : undefined });
      const refused = res.status === 403;
      if (refused === mayCall(who, name as RouteName)) disagreements.push(`${name}: the service answered ${res.status}`);
    }
    expect(disagreements).toEqual([]);
  });
});
