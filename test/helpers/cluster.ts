import { KeyserviceClient } from "@keyservice/sdk";
import { bootstrapOrg, bootstrapPlatformAdmin, openStore } from "@keyservice/service";
import { SecretLedger } from "./secrets";
import { type SpawnedService, spawnService, testMasterKey } from "./service";
import { createTestDatabase, type TestDatabase } from "./store";

/**
 * Several `keyservice serve` processes on one database, as behind a load balancer: each test file
 * gets its own database, master key and instances, and searches them all for secrets at the end.
 */
export interface Cluster {
  db: TestDatabase;
  ledger: SecretLedger;
  /** The environment every instance runs with (the master key included). */
  env: NodeJS.ProcessEnv;
  instances: SpawnedService[];
  /** A client of instance `i` (no retries: a test sees each answer as it is). */
  client(i: number, token: string | undefined, org: string): KeyserviceClient;
  bootstrap(org: string): Promise<string>;
  /** A new platform admin's token. */
  platformAdmin(): Promise<string>;
  /** Starts one more instance on the same database. */
  add(env?: NodeJS.ProcessEnv): Promise<SpawnedService>;
  /** Everything every instance printed (logs), for secret searches. */
  output(): string;
  close(): Promise<void>;
}

export async function startCluster(size = 2, env: NodeJS.ProcessEnv = {}, db?: TestDatabase): Promise<Cluster> {
  const database = db ?? (await createTestDatabase("postgres"));
  const ledger = new SecretLedger();
  const masterKey = testMasterKey();
  ledger.add(masterKey.split(":")[1]);
  const clusterEnv = { KEYSERVICE_ENCRYPTION_KEYS: masterKey, KEYSERVICE_LOG_LEVEL: "info", ...env };
  const instances: SpawnedService[] = [];
  const add = async (extra: NodeJS.ProcessEnv = {}) => {
    const instance = await spawnService(["--db", database.url], { ...clusterEnv, ...extra });
    instances.push(instance);
    return instance;
  };
  // One after the other: the first migrates, the others find the schema current.
  for (let i = 0; i < size; i++) await add();
  return {
    db: database,
    ledger,
    env: clusterEnv,
    instances,
    client: (i, token, org) => new KeyserviceClient({ endpoint: instances[i].url, token, org, maxAttempts: 1 }),
    bootstrap: async (org) => {
      const store = openStore({ url: database.url });
      try {
        return ledger.add((await bootstrapOrg(store, org)).adminToken);
      } finally {
        await store.close();
      }
    },
    platformAdmin: async () => {
      const store = openStore({ url: database.url });
      try {
        return ledger.add((await bootstrapPlatformAdmin(store)).platformAdminToken);
      } finally {
        await store.close();
      }
    },
    add,
    output: () => instances.map((s) => s.output()).join("\n"),
    close: async () => {
      for (const instance of instances) await instance.stop();
      if (!db) await database.drop();
    },
  };
}

/** What a cluster test file shares: two instances on one PostgreSQL database, the org "acme", its admin's client on each. */
export interface ClusterSuite {
  readonly cluster: Cluster;
  /** acme's admin token. */
  readonly admin: string;
  /** acme's admin on instance A (the first). */
  readonly a: KeyserviceClient;
  /** acme's admin on instance B (the second). */
  readonly b: KeyserviceClient;
}

/** Starts two instances (with `env`) and bootstraps "acme" before the file's tests, and closes them after. Call it at the top of a file. */
export function clusterSuite(env: NodeJS.ProcessEnv = {}): ClusterSuite {
  let started: ClusterSuite | undefined;
  beforeAll(async () => {
    const cluster = await startCluster(2, env);
    const admin = await cluster.bootstrap("acme");
    started = { cluster, admin, a: cluster.client(0, admin, "acme"), b: cluster.client(1, admin, "acme") };
  }, 60_000);
  afterAll(() => started?.cluster.close());
  const ready = (): ClusterSuite => {
    if (!started) throw new Error("clusterSuite() starts its instances in a beforeAll: use them inside a test or a hook.");
    return started;
  };
  return {
    get cluster() {
      return ready().cluster;
    },
    get admin() {
      return ready().admin;
    },
    get a() {
      return ready().a;
    },
    get b() {
      return ready().b;
    },
  };
}
