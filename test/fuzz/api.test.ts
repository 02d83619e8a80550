import net from "node:net";
import { ErrorBody, type RouteName, routes } from "@keyservice/sdk";
import fc from "fast-check";
import { expectNoSecretsInService } from "../helpers/leaks";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";
import { MUTATION_KINDS, type MutationKind } from "./mutation-kinds";
import { type BaseCall, type FuzzRequest, requestsOf } from "./requests";

/**
 * Fuzzing generated from the route table and its zod schemas: for every route, well-formed
 * requests and near-valid ones. Properties: never a 5xx; every refusal in the one error shape, a
 * 422 naming the field that was wrong; never a 2xx to a body the route's own schema refuses, nor to
 * a request missing its credentials (a 401) or its Content-Type; a refused write changes nothing;
 * every route and every kind of mistake was sent, and every route answered 2xx to some request (the
 * fuzz reached what it does, not only its refusals); the service keeps answering, and a valid
 * request still works afterwards.
 *   KEYSERVICE_FUZZ_RUNS (requests per store, default 10,000; much below 2,000 may miss a kind of
 *   mistake), KEYSERVICE_FUZZ_SEED (default fixed).
 */
const RUNS = Number(process.env.KEYSERVICE_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.KEYSERVICE_FUZZ_SEED ?? 20261124);
jest.setTimeout(Math.max(120_000, RUNS * 60));

const suite = serviceSuite({ authFailureLimit: 1_000_000, env: { KEYSERVICE_LLM_VERIFY_LIMIT: "1000000" } });
const base = {} as Record<RouteName, BaseCall>;
/** How many requests went to each route, and carried each kind of mistake: counts, for the coverage check. */
const sentTo = new Map<RouteName, number>();
const sentKinds = new Map<MutationKind, number>();
/** The routes that answered a 2xx at least once: the fuzz really reached what they do, not only their refusals. */
const succeeded = new Set<RouteName>();
/** Routes whose base call names a row that never exists (a 404 is their success): the only ones never answering 2xx. */
const NAME_MISSING_ROWS: readonly RouteName[] = ["deleteDeployment", "deleteGlobalApiKey", "deletePlatformApiKey", "deleteLlmKey", "deleteOrg"];

beforeAll(async () => {
  const org = suite.org;
  const admin = org.admin;
  const platformToken = suite.ledger.add(await suite.svc.platformAdmin());
  const dep = await org.deployment("fuzzed");
  const global = await admin.globalApiKeys.create({ name: "fuzz-global", deploymentIds: [dep.id] });
  // What the fuzzed writes change or delete (rotate, deactivate, rename, remove) stays apart from
  // what execute, verify and the member routes use, so those keep reaching their success path.
  const executing = await admin.globalApiKeys.create({ name: "fuzz-execute", deploymentIds: [dep.id] });
  const renamed = await org.deployment("fuzz-renamed");
  const platform = await admin.platformApiKeys.create({ name: "fuzz-platform", permission: "read" });
  const member = await admin.members.create({ name: "fuzz-member", role: "member" });
  const removed = await admin.members.create({ name: "fuzz-removed", role: "member" });
  const llm = await admin.llmKeys.create({ provider: "openai", label: "l", apiKey: suite.ledger.add("sk-fuzz-0123456789abcdef") });
  const depKey = await admin.deployments.keys.create(dep.id);
  const other = await suite.svc.client(platformToken).admin.orgs.create({ slug: "fuzz-other" });
  suite.ledger.add(other.adminToken);
  const impersonation = await suite.svc.client(platformToken).admin.impersonate({ org: org.slug, reason: "fuzz" });
  suite.ledger.add(impersonation.token);
  const o = { org: org.slug };
  const asAdmin = (call: Omit<BaseCall, "token">): BaseCall => ({ ...call, token: org.adminToken });
  const asPlatform = (call: Omit<BaseCall, "token">): BaseCall => ({ ...call, token: platformToken });
  const calls: Record<RouteName, BaseCall> = {
    health: { params: {} },
    ready: { params: {} },
    openapi: { params: {} },
    whoami: asAdmin({ params: o }),
    createMember: asAdmin({ params: o, body: { name: uniqueName("m"), role: "member" } }),
    listMembers: asAdmin({ params: o, query: { limit: "10" } }),
    getMember: asAdmin({ params: { ...o, id: member.id } }),
    updateMember: asAdmin({ params: { ...o, id: member.id }, body: { name: "fuzz-member" } }),
    deleteMember: asAdmin({ params: { ...o, id: removed.id } }),
    rotateMemberToken: asAdmin({ params: { ...o, id: member.id }, body: { gracePeriodSeconds: 0 } }),
    createDeployment: asAdmin({ params: o, body: { name: uniqueName("d") } }),
    listDeployments: asAdmin({ params: o, query: { limit: "10" } }),
    getDeployment: asAdmin({ params: { ...o, id: dep.id } }),
    updateDeployment: asAdmin({ params: { ...o, id: renamed.id }, body: { isActive: true } }),
    deleteDeployment: asAdmin({ params: { ...o, id: "01a20000-0000-7000-8000-000000000000" } }),
    executeDeployment: { params: { ...o, name: dep.name }, token: executing.key },
    createDeploymentKey: asAdmin({ params: { ...o, id: dep.id }, body: { name: "k" } }),
    listDeploymentKeys: asAdmin({ params: { ...o, id: dep.id }, query: { limit: "10" } }),
    deleteDeploymentKey: asAdmin({ params: { ...o, id: dep.id, keyId: depKey.id } }),
    createGlobalApiKey: asAdmin({ params: o, body: { name: uniqueName("g"), deploymentIds: [dep.id], expiresAt: "2030-01-01T00:00:00Z" } }),
    listGlobalApiKeys: asAdmin({ params: o, query: { limit: "10" } }),
    getGlobalApiKey: asAdmin({ params: { ...o, id: global.id } }),
    updateGlobalApiKey: asAdmin({ params: { ...o, id: global.id }, body: { description: "d", isActive: true } }),
    deleteGlobalApiKey: asAdmin({ params: { ...o, id: "01a20000-0000-7000-8000-000000000001" } }),
    rotateGlobalApiKey: asAdmin({ params: { ...o, id: global.id }, body: { gracePeriodSeconds: 60 } }),
    createPlatformApiKey: asAdmin({ params: o, body: { name: uniqueName("p"), permission: "read" } }),
    listPlatformApiKeys: asAdmin({ params: o, query: { limit: "10" } }),
    getPlatformApiKey: asAdmin({ params: { ...o, id: platform.id } }),
    updatePlatformApiKey: asAdmin({ params: { ...o, id: platform.id }, body: { permission: "read" } }),
    deletePlatformApiKey: asAdmin({ params: { ...o, id: "01a20000-0000-7000-8000-000000000002" } }),
    rotatePlatformApiKey: asAdmin({ params: { ...o, id: platform.id }, body: {} }),
    verifyKey: asAdmin({ params: o, body: { key: executing.key } }),
    listAuditEvents: asAdmin({ params: o, query: { limit: "10", order: "desc" } }),
    createLlmKey: asAdmin({ params: o, body: { provider: uniqueName("p"), label: "l", apiKey: "sk-fuzzed-value" } }),
    listLlmKeys: asAdmin({ params: o, query: { limit: "10" } }),
    getLlmKey: asAdmin({ params: { ...o, id: llm.id } }),
    updateLlmKey: asAdmin({ params: { ...o, id: llm.id }, body: { label: "relabelled" } }),
    deleteLlmKey: asAdmin({ params: { ...o, id: "01a20000-0000-7000-8000-000000000003" } }),
    verifyLlmKey: asAdmin({ params: { ...o, id: llm.id }, body: { apiKey: "sk-guess" } }),
    createOrg: asPlatform({ params: {}, body: { slug: "fuzz-new", name: "n" } }),
    listOrgs: asPlatform({ params: {}, query: { limit: "10" } }),
    getOrg: asPlatform({ params: { slug: "fuzz-other" } }),
    updateOrg: asPlatform({ params: { slug: "fuzz-other" }, body: { name: "renamed" } }),
    deleteOrg: asPlatform({ params: { slug: "no-such-org" } }),
    listUsers: asPlatform({ params: {}, query: { limit: "10", role: "admin" } }),
    impersonate: asPlatform({ params: {}, body: { org: org.slug, reason: "fuzz", durationSeconds: 60 } }),
    stopImpersonation: asPlatform({ params: {}, body: { id: impersonation.id } }),
  };
  Object.assign(base, calls);
});

/**
 * One request written as raw bytes on a socket, so that headers no conforming client would send
 * (NUL, characters outside Latin-1, two of one, none at all) reach the server all the same: only
 * host, connection and content-length are added to the request's own headers.
 */
function send(req: FuzzRequest): Promise<{ status: number; text: string }> {
  const url = new URL(suite.svc.url);
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `host: ${url.host}`, "connection: close"];
  for (const [name, value] of Object.entries(req.headers)) for (const v of [value].flat()) lines.push(`${name}: ${v}`);
  const bytes = Buffer.from(req.body ?? "", "utf8");
  lines.push(`content-length: ${bytes.length}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const [head, ...rest] = raw.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      let text = rest.join("\r\n\r\n");
      // Decodes a chunked body, should the server choose one.
      if (/transfer-encoding: chunked/i.test(head)) text = text.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, "$1").replace(/\r\n/g, "");
      resolve({ status, text });
    });
    // Written without a half-close: Node's server drops a request still in flight when the client
    // ends its side first (no real client does that), and "connection: close" ends the exchange.
    socket.setTimeout(30_000, () => socket.destroy(new Error(`${req.method} ${req.path.slice(0, 120)}: no answer within 30 s`)));
    socket.write(Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "utf8"), bytes]));
  });
}

/**
 * What a refused write could have changed: every table's rows, versions and last changes, and the
 * audit trail (where only a refused credential may add to its aggregated `auth.failed` row).
 */
function fingerprint(): Promise<unknown> {
  const tables = ["orgs", "users", "deployments", "deployment_keys", "api_keys", "api_key_deployments", "credentials", "llm_keys", "impersonations", "idempotency_records"];
  return suite.svc.db.query(
    `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ")},
       (SELECT sum(version) FROM api_keys) AS kv, (SELECT max(updated_at) FROM api_keys) AS ku, (SELECT max(updated_at) FROM deployments) AS du,
       (SELECT max(updated_at) FROM llm_keys) AS lu, (SELECT sum(version) FROM llm_keys) AS lv, (SELECT max(updated_at) FROM orgs) AS ou,
       (SELECT count(expires_at) FROM credentials) AS ce, (SELECT count(*) FROM audit_events WHERE action <> 'auth.failed') AS audited, (SELECT group_concat(role) FROM users) AS roles`.replace("group_concat(role)", suite.svc.db.kind === "postgres" ? "string_agg(role, ',' ORDER BY id)" : "group_concat(role)"),
  );
}

const allRequests = fc.constantFrom(...(Object.keys(routes) as RouteName[])).chain((route) => requestsOf(route, base[route]));

describe(`fuzzing every route (${RUNS} requests, seed ${SEED})`, () => {
  it("never answers 5xx; refuses in the one error shape, naming the bad field; never accepts a body its schema refuses or a request missing a header; a refused write changes nothing; reaches every route with every kind of mistake", async () => {
    await fc.assert(
      fc.asyncProperty(allRequests, async (req) => {
        const mutates = req.method !== "GET";
        const before = mutates ? await fingerprint() : undefined;
        sentTo.set(req.route, (sentTo.get(req.route) ?? 0) + 1);
        for (const kind of req.kinds) sentKinds.set(kind, (sentKinds.get(kind) ?? 0) + 1);
        const res = await send(req);
        // Secrets a successful call minted go into the ledger first: the final search looks for them, and a failure's message is redacted of them.
        if (res.status < 300 && res.text) {
          for (const m of res.text.matchAll(/"(?:key|token|adminToken)":"([^"]+)"/g)) suite.ledger.add(m[1]);
        }
        const where = `${req.method} ${req.path.slice(0, 120)} (${req.mutation})`;
        if (res.status === 0) throw new Error(`${where}: the connection closed without an answer`);
        if (res.status >= 500) throw new Error(`${where} answered ${res.status}: ${res.text.slice(0, 300)}`);
        if (req.mustRefuse && res.status < 400) throw new Error(`${where} answered ${res.status} to ${req.mustRefuse}: ${res.text.slice(0, 300)}`);
        if (req.status !== undefined && res.status !== req.status) throw new Error(`${where} answered ${res.status}, not ${req.status}: ${res.text.slice(0, 300)}`);
        if (res.status >= 400) {
          const parsed = ErrorBody.strict().safeParse(JSON.parse(res.text));
          if (!parsed.success) throw new Error(`${where} answered ${res.status} outside the error shape: ${res.text.slice(0, 300)}`);
          const details = parsed.data.error.details ?? [];
          if (res.status === 422 && details.length === 0) throw new Error(`${where} answered 422 without details`);
          // The detail names the field, something inside it, or what holds it (the router names only "params").
          const names = (path: string, field: string) => path === field || path.startsWith(`${field}.`) || field.startsWith(`${path}.`) || path === "(root)";
          if (res.status === 422 && req.field && !req.fieldValid && !details.some((d) => names(d.path, req.field!))) {
            // Another field may fail first only when the mutation made the body unreadable as a whole.
            throw new Error(`${where} answered 422 naming ${details.map((d) => d.path).join(", ")}, not ${req.field}`);
          }
          if (mutates) {
            const after = await fingerprint();
            if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`${where} answered ${res.status} yet changed the store`);
          }
        }
        if (res.status < 300) succeeded.add(req.route);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    ).catch((err: unknown) => {
      // fast-check prints the failing request, bearer token included, and a 2xx body may hold a minted secret.
      throw new Error(suite.ledger.redact(err instanceof Error ? err.message : String(err)));
    });
    expect((Object.keys(routes) as RouteName[]).filter((route) => !succeeded.has(route) && !NAME_MISSING_ROWS.includes(route))).toEqual([]);
    // The generator reached every route and made every kind of mistake at least once.
    expect((Object.keys(routes) as RouteName[]).filter((route) => !sentTo.has(route))).toEqual([]);
    expect(MUTATION_KINDS.filter((kind) => !sentKinds.has(kind))).toEqual([]);
  });

  it("keeps answering /healthz, and a valid request still works afterwards", async () => {
    expect((await send({ route: "health", mutation: "after", kinds: ["well-formed"], method: "GET", path: "/healthz", headers: {} })).status).toBe(200);
    await expect(suite.org.admin.deployments.create({ name: uniqueName("after-fuzz") })).resolves.toMatchObject({ isActive: true });
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or logs", async () => {
    await expectNoSecretsInService(suite.ledger, suite.svc);
  });
});
