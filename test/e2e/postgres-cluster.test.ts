import { randomBytes } from "node:crypto";
import type { KeyserviceClient } from "@keyservice/sdk";
import { type Cluster, startCluster } from "../helpers/cluster";
import { expectNoSecretsIn } from "../helpers/leaks";
import { AutomationStack } from "../helpers/automation";
import { type RoundRobin, startRoundRobin } from "../helpers/round-robin";
import { pollUntil, statusOf } from "../helpers/wait";
import { KEYS_PROGRAM } from "./support";

/**
 * The provider against keyservice as run in production: two instances on one PostgreSQL database
 * behind a round-robin, so consecutive calls of one `pulumi up` land on different instances.
 */
describe("a stack against two PostgreSQL-backed instances behind a round-robin", () => {
  let cluster: Cluster;
  let balancer: RoundRobin;
  let project: AutomationStack;
  let admin: KeyserviceClient;
  const onEach = (key: string) => Promise.all([0, 1].map((i) => statusOf(cluster.client(i, undefined, "acme").deployments.execute("target", key))));

  beforeAll(async () => {
    cluster = await startCluster(2);
    balancer = await startRoundRobin(cluster.instances.map((i) => i.url));
    const adminToken = await cluster.bootstrap("acme");
    admin = cluster.client(0, adminToken, "acme");
    project = await AutomationStack.create({
      programDir: KEYS_PROGRAM,
      config: { "keyservice:endpoint": balancer.url, "keyservice:org": "acme" },
      secrets: { "keyservice:token": adminToken, llmApiKey: cluster.ledger.add(`sk-e2e-${randomBytes(16).toString("hex")}`) },
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
  }, 60_000);

  afterAll(async () => {
    project?.cleanup();
    await balancer?.close();
    await cluster?.close();
  });

  let first: Record<string, any>;

  it("creates every key through both instances, and each key works on both", async () => {
    await project.up();
    first = await project.outputs();
    cluster.ledger.add(first.globalKey);
    cluster.ledger.add(first.platformKey);
    expect(balancer.counts.every((n) => n > 0)).toBe(true);
    expect(await onEach(first.globalKey)).toEqual([200, 200]);
  });

  it("rotates with a grace period: both instances take both secrets during the grace, then only the new one", async () => {
    await project.setConfig("globalTrigger", "2");
    // Long enough for the rest of the up and the outputs (the Automation API reads outputs and history after each up: five CLI runs in all).
    await project.setConfig("globalGrace", "10s");
    await project.up();
    const second = await project.outputs();
    cluster.ledger.add(second.globalKey);
    expect(second).toMatchObject({ globalKeyId: first.globalKeyId, globalVersion: 2 });
    expect(await onEach(second.globalKey)).toEqual([200, 200]);
    expect(await onEach(first.globalKey)).toEqual([200, 200]);
    await pollUntil(() => onEach(first.globalKey), (s) => s.every((x) => x === 401), { timeoutMs: 20_000, intervalMs: 100, what: "both instances to refuse the old secret" });
    expect(await onEach(second.globalKey)).toEqual([200, 200]);
  });

  it("refreshes without changes, and destroys: every key is revoked on both instances", async () => {
    const refresh = await project.refresh();
    expect(refresh.summary.resourceChanges).not.toHaveProperty("update");
    await project.preview({ expectNoChanges: true });
    const { globalKey } = await project.outputs();
    await project.destroy();
    expect(await onEach(globalKey)).toEqual([401, 401]);
    expect(await cluster.db.count("SELECT count(*) FROM api_keys")).toBe(0);
    expect(await cluster.db.count("SELECT count(*) FROM llm_keys")).toBe(0);
    await expect(admin.globalApiKeys.list()).resolves.toMatchObject({ items: [] });
  });

  it("left no issued secret in the backend, the transcript, the database or either instance's logs", async () => {
    expect(cluster.ledger.foundInFiles(project.backendDir)).toEqual([]);
    expectNoSecretsIn(cluster.ledger, { texts: { transcript: project.transcript(), logs: cluster.output(), database: await cluster.db.dumpText() } });
  });
});
