import { type KeyserviceClient, KeyserviceError } from "@keyservice/sdk";
import { clusterSuite } from "../helpers/cluster";
import { rawRequest } from "../helpers/http";
import { expectNoSecretsIn } from "../helpers/leaks";
import { statusOf } from "../helpers/wait";

/** Two instances on one database behave as one service: the limiter, idempotency, uniqueness and audit. */
// A day-long window: 22 requests never straddle two windows (a new one starts every count at 0).
const suite = clusterSuite({ KEYSERVICE_AUTH_FAILURE_LIMIT: "20", KEYSERVICE_AUTH_FAILURE_WINDOW_MS: String(24 * 3600 * 1000) });
let deploymentId: string;

beforeAll(async () => {
  deploymentId = (await suite.a.deployments.create({ name: "target" })).id;
});

const bogus = (instance: number, localAddress: string) =>
  rawRequest(suite.cluster.instances[instance].url, "GET", "/api/v1/orgs/acme/deployments", { localAddress, headers: { authorization: "Bearer ks_usr_guess" } });

describe("the failed-authentication limiter", () => {
  it("is shared: 20 failures spread over A and B make the next one on either answer 429", async () => {
    const client = "127.0.0.20";
    for (let i = 0; i < 20; i++) expect((await bogus(i % 2, client)).status).toBe(401);
    expect((await bogus(0, client)).status).toBe(429);
    expect((await bogus(1, client)).status).toBe(429);
  });

  it("still lets a valid credential through on both instances from that address", async () => {
    for (const i of [0, 1]) {
      const res = await rawRequest(suite.cluster.instances[i].url, "GET", "/api/v1/orgs/acme/deployments", { localAddress: "127.0.0.20", headers: { authorization: `Bearer ${suite.admin}` } });
      expect(res.status).toBe(200);
    }
  });
});

describe("idempotency across instances", () => {
  it("mints exactly one key when the same Idempotency-Key reaches A and B at once (50 trials)", async () => {
    const outcomes = { created: 0, replayed: 0, inProgress: 0 };
    for (let trial = 0; trial < 50; trial++) {
      const name = `twin-${trial}`;
      const send = (client: KeyserviceClient) =>
        client.globalApiKeys.create({ name, deploymentIds: [deploymentId] }, { idempotencyKey: `twin-key-${trial}` }).then(
          (key) => suite.cluster.ledger.add(key.key),
          (err: unknown) => {
            // The only other answer allowed: the twin is still running.
            if (err instanceof KeyserviceError && err.httpStatus === 409 && /still in progress/.test(err.message)) return "in-progress";
            throw err;
          },
        );
      const [first, second] = await Promise.all([send(suite.a), send(suite.b)]);
      const keys = [first, second].filter((k) => k !== "in-progress");
      if (keys.length === 2) expect(keys[0]).toBe(keys[1]);
      outcomes.created++;
      outcomes[keys.length === 2 ? "replayed" : "inProgress"]++;
      expect(await suite.cluster.db.count("SELECT count(*) FROM api_keys WHERE name = ?", name)).toBe(1);
    }
    expect(outcomes.created).toBe(50);
  });

  it("recovers a create past its 24 h once when the retry reaches A and B at once: one new secret, answered to both (20 trials)", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const body = { name: `lost-${trial}`, deploymentIds: [deploymentId] };
      const idempotencyKey = `lost-key-${trial}`;
      const lost = await suite.a.globalApiKeys.create(body, { idempotencyKey });
      suite.cluster.ledger.add(lost.key);
      // A day passes (no API moves time): the record is past its 24 h, its answer no longer replayed.
      expect(await suite.cluster.db.exec("UPDATE idempotency_records SET created_at = created_at - ? WHERE idempotency_key = ?", 24 * 3600 * 1000 + 60_000, idempotencyKey)).toBe(1);
      const send = (client: KeyserviceClient) =>
        client.globalApiKeys.create(body, { idempotencyKey }).then(
          (key) => suite.cluster.ledger.add(key.key),
          (err: unknown) => {
            if (err instanceof KeyserviceError && err.httpStatus === 409 && /still in progress/.test(err.message)) return "in-progress";
            throw err;
          },
        );
      const answers = (await Promise.all([send(suite.a), send(suite.b)])).filter((k) => k !== "in-progress");
      expect(answers.length).toBeGreaterThan(0);
      expect(new Set(answers).size).toBe(1);
      expect(await suite.cluster.db.query("SELECT id, version FROM api_keys WHERE name = ?", body.name)).toEqual([{ id: lost.id, version: 2 }]);
      expect(await suite.cluster.db.count("SELECT count(*) FROM audit_events WHERE action = 'global_api_key.create.recovered' AND target = ?", lost.id)).toBe(1);
    }
  });
});

describe("uniqueness races", () => {
  it("gives one 201 and one 409 when the same name is created on A and B at once, never a 500 (20 trials)", async () => {
    for (let trial = 0; trial < 20; trial++) {
      const name = `race-${trial}`;
      const statuses = await Promise.all([suite.a, suite.b].map((client) => statusOf(client.deployments.create({ name }))));
      expect(statuses.sort()).toEqual([200, 409]);
      expect(await suite.cluster.db.count("SELECT count(*) FROM deployments WHERE name = ?", name)).toBe(1);
    }
  });
});

describe("audit written by both instances", () => {
  it("reads back as one ordered list, and cursor pagination stays stable while writes continue", async () => {
    for (let i = 0; i < 30; i++) await (i % 2 ? suite.a : suite.b).deployments.create({ name: `audited-${i}` });
    const before = await suite.cluster.db.query<{ id: string }>("SELECT id FROM audit_events WHERE org_id = (SELECT id FROM orgs WHERE slug = 'acme') ORDER BY id");
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) await (i % 2 ? suite.a : suite.b).deployments.create({ name: `during-${i}` });
    })();
    const seen: string[] = [];
    try {
      for (let cursor: string | undefined; ; ) {
        const page = await (seen.length % 2 ? suite.a : suite.b).auditEvents.list({ limit: 7, cursor });
        seen.push(...page.items.map((e) => e.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
    } finally {
      writing = false;
      await writer;
    }
    // Every event that existed before paging began, exactly once and in order; none twice.
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
    expect(seen.slice(0, before.length)).toEqual(before.map((r) => r.id));
  });
});

describe("secrets", () => {
  it("leaves no issued secret in the database or either instance's logs", async () => {
    expectNoSecretsIn(suite.cluster.ledger, { texts: { logs: suite.cluster.output(), database: await suite.cluster.db.dumpText() } });
  });
});
