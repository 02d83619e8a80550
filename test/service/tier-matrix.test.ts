import { type HttpMethod, type KeyserviceClient, routes } from "@keyservice/sdk";
import { expectApiError } from "../helpers/api";
import { expectNoSecretsInService } from "../helpers/leaks";
import { type Tier, TIERS, uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

const suite = serviceSuite();
let tokens: Record<Tier, string>;

beforeAll(async () => {
  tokens = await suite.org.tierTokens();
});

/** What a row of the matrix prepares (with the admin) before the caller acts. */
interface Target {
  deploymentId: string;
  id: string;
  name: string;
}

interface Operation {
  route: keyof typeof routes;
  /** The tiers that may do it; every other tier gets 403. */
  allowed: readonly Tier[];
  prepare(): Promise<Target>;
  act(client: KeyserviceClient, t: Target): Promise<unknown>;
  /** Whether the operation took effect: the database changed, or a read shows the target. */
  tookEffect(t: Target, result?: unknown): boolean | Promise<boolean>;
}

const READERS: readonly Tier[] = TIERS;
const WRITERS: readonly Tier[] = ["read_write", "full_access", "admin"];
const MINTERS: readonly Tier[] = ["full_access", "admin"];
const DELETERS: readonly Tier[] = ["full_access", "admin"];

const exists = async (table: string, id: string) => (await suite.svc.db.count(`SELECT count(*) FROM ${table} WHERE id = ?`, id)) === 1;
const named = async (table: string, name: string) => (await suite.svc.db.count(`SELECT count(*) FROM ${table} WHERE name = ?`, name)) === 1;
/** Reads every page of a list, so a target is found however many rows the org has. */
async function everyItem(list: (cursor?: string) => Promise<{ items: { id: string }[]; nextCursor: string | null }>) {
  const items: { id: string }[] = [];
  for (let cursor: string | undefined, more = true; more; ) {
    const page = await list(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    more = cursor !== undefined;
  }
  return { items };
}
const lists = (t: Target, result?: unknown) => (result as { items: { id: string }[] }).items.some((i) => i.id === t.id);
const descriptionOf = async (id: string) => (await suite.svc.db.query<{ description: string | null }>("SELECT description FROM api_keys WHERE id = ?", id))[0].description;

async function globalKey(): Promise<Target> {
  const dep = await suite.org.deployment();
  const k = await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] });
  return { deploymentId: dep.id, id: k.id, name: uniqueName("new-g") };
}
async function platformKey(): Promise<Target> {
  const k = await suite.org.platformKey("read");
  return { deploymentId: "", id: k.id, name: uniqueName("new-p") };
}
async function deploymentKey(): Promise<Target> {
  const dep = await suite.org.deployment();
  const k = await suite.org.admin.deployments.keys.create(dep.id);
  return { deploymentId: dep.id, id: k.id, name: uniqueName("new-dk") };
}
async function deployment(): Promise<Target> {
  const dep = await suite.org.deployment();
  return { deploymentId: dep.id, id: dep.id, name: uniqueName("new-d") };
}

const operations: Operation[] = [
  // Global API keys
  { route: "listGlobalApiKeys", allowed: READERS, prepare: globalKey, act: (c) => everyItem((cursor) => c.globalApiKeys.list({ limit: 100, cursor })), tookEffect: lists },
  {
    route: "createGlobalApiKey",
    allowed: MINTERS,
    prepare: globalKey,
    act: (c, t) => c.globalApiKeys.create({ name: t.name, deploymentIds: [t.deploymentId] }),
    tookEffect: (t) => named("api_keys", t.name),
  },
  { route: "updateGlobalApiKey", allowed: WRITERS, prepare: globalKey, act: (c, t) => c.globalApiKeys.update(t.id, { description: "changed" }), tookEffect: async (t) => (await descriptionOf(t.id)) === "changed" },
  { route: "deleteGlobalApiKey", allowed: DELETERS, prepare: globalKey, act: (c, t) => c.globalApiKeys.delete(t.id), tookEffect: async (t) => !(await exists("api_keys", t.id)) },
  // Platform API keys
  { route: "listPlatformApiKeys", allowed: READERS, prepare: platformKey, act: (c) => everyItem((cursor) => c.platformApiKeys.list({ limit: 100, cursor })), tookEffect: lists },
  { route: "createPlatformApiKey", allowed: MINTERS, prepare: platformKey, act: (c, t) => c.platformApiKeys.create({ name: t.name, permission: "read" }), tookEffect: (t) => named("api_keys", t.name) },
  { route: "updatePlatformApiKey", allowed: WRITERS, prepare: platformKey, act: (c, t) => c.platformApiKeys.update(t.id, { description: "changed" }), tookEffect: async (t) => (await descriptionOf(t.id)) === "changed" },
  { route: "deletePlatformApiKey", allowed: DELETERS, prepare: platformKey, act: (c, t) => c.platformApiKeys.delete(t.id), tookEffect: async (t) => !(await exists("api_keys", t.id)) },
  // Deployment keys (they have no PATCH)
  { route: "listDeploymentKeys", allowed: READERS, prepare: deploymentKey, act: (c, t) => everyItem((cursor) => c.deployments.keys.list(t.deploymentId, { limit: 100, cursor })), tookEffect: lists },
  { route: "createDeploymentKey", allowed: MINTERS, prepare: deploymentKey, act: (c, t) => c.deployments.keys.create(t.deploymentId, { name: t.name }), tookEffect: (t) => named("deployment_keys", t.name) },
  { route: "deleteDeploymentKey", allowed: DELETERS, prepare: deploymentKey, act: (c, t) => c.deployments.keys.delete(t.deploymentId, t.id), tookEffect: async (t) => !(await exists("deployment_keys", t.id)) },
  // Deployments
  { route: "listDeployments", allowed: READERS, prepare: deployment, act: (c) => everyItem((cursor) => c.deployments.list({ limit: 100, cursor })), tookEffect: lists },
  { route: "createDeployment", allowed: WRITERS, prepare: deployment, act: (c, t) => c.deployments.create({ name: t.name }), tookEffect: (t) => named("deployments", t.name) },
  { route: "updateDeployment", allowed: WRITERS, prepare: deployment, act: (c, t) => c.deployments.update(t.id, { name: t.name }), tookEffect: (t) => named("deployments", t.name) },
  { route: "deleteDeployment", allowed: DELETERS, prepare: deployment, act: (c, t) => c.deployments.delete(t.id), tookEffect: async (t) => !(await exists("deployments", t.id)) },
];

const callerLabel = (tier: Tier) => (tier === "admin" || tier === "member" ? `an org ${tier}` : `a ${tier} key`);

describe.each(operations.map((op) => ({ ...op, title: `${routes[op.route].method} ${routes[op.route].path.replace(/\{(\w+)\}/g, ":$1")}` })))("$title", (op) => {
  const method: HttpMethod = routes[op.route].method;
  const rows = TIERS.map((tier) => ({ tier, allowed: op.allowed.includes(tier), status: op.allowed.includes(tier) ? routes[op.route].status : 403, caller: callerLabel(tier) }));

  it.each(rows)("returns $status to $caller", async ({ tier, allowed }) => {
    const target = await op.prepare();
    const client = suite.org.client(tokens[tier]);
    if (allowed) {
      const result = await op.act(client, target);
      expect(await op.tookEffect(target, result)).toBe(true);
    } else {
      const err = await expectApiError(op.act(client, target), 403, "forbidden");
      expect(err.method).toBe(method);
      if (method !== "GET") expect(await op.tookEffect(target)).toBe(false);
    }
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
