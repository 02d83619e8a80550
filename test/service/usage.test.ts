import { recordUsage, type Uses } from "@keyservice/service/dist/domain/usage";
import { UsageRecorder } from "@keyservice/service/dist/auth/usage-recorder";
import type { CredentialKind } from "@keyservice/service/dist/db/tables/credentials.table";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

/**
 * lastUsedAt is written in batches, several owners per statement: every owner of every kind gets
 * its instant, across statement boundaries, and an instant never moves back (instances flush out
 * of order).
 */
const suite = serviceSuite();

/** A batch of these uses, each `[owner id, kind, instant]`, as recordUsage takes it. */
function usesOf(list: readonly (readonly [string, CredentialKind, number])[]): Uses {
  const byKind: Partial<Record<CredentialKind, Map<string, number>>> = {};
  for (const [id, kind, at] of list) (byKind[kind] ??= new Map()).set(id, at);
  return { since: 0, byKind };
}

/** As the service writes on this store, with few owners per statement so that a handful spans several. */
const how = (perStatement: number) => ({ oneTransaction: suite.svc.db.kind === "sqlite", perStatement });

/** One owner of each kind that has a lastUsedAt, two of some, as the API creates them. */
async function owners(): Promise<{ id: string; kind: CredentialKind; table: string }[]> {
  const { admin } = suite.org;
  const dep = await suite.org.deployment();
  const made = [
    { id: (await admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] })).id, kind: "global", table: "api_keys" },
    { id: (await admin.globalApiKeys.create({ name: uniqueName("g"), allowAllDeployments: true })).id, kind: "global", table: "api_keys" },
    { id: (await admin.platformApiKeys.create({ name: uniqueName("p"), permission: "read" })).id, kind: "platform", table: "api_keys" },
    { id: (await admin.members.create({ name: uniqueName("m"), role: "member" })).id, kind: "user", table: "users" },
    { id: (await admin.members.create({ name: uniqueName("m"), role: "admin" })).id, kind: "user", table: "users" },
    { id: (await admin.deployments.keys.create(dep.id)).id, kind: "deployment", table: "deployment_keys" },
    { id: (await admin.deployments.keys.create(dep.id)).id, kind: "deployment", table: "deployment_keys" },
  ] as const;
  await suite.svc.platformAdmin(uniqueName("pa"));
  const [admin0] = await suite.svc.db.query<{ id: string }>("select id from platform_admins order by id desc limit 1");
  return [...made, { id: admin0.id, kind: "platform_admin", table: "platform_admins" }];
}

async function lastUsed(table: string, id: string): Promise<number | null> {
  const [row] = await suite.svc.db.query<{ at: number | string | null }>(`select last_used_at as at from ${table} where id = ?`, id);
  return row.at === null ? null : Number(row.at);
}

describe("recordUsage (lastUsedAt, written in batches)", () => {
  it("writes each owner's instant, every kind, across statements of 2 owners each", async () => {
    const all = await owners();
    const base = Date.UTC(2026, 0, 1);
    const uses = usesOf([
      ...all.map((o, i) => [o.id, o.kind, base + i * 1000] as const),
      // Neither an impersonation (its use is audited apart) nor an id that matches nothing is an error.
      ["00000000-0000-7000-8000-000000000000", "impersonation", base],
      ["00000000-0000-7000-8000-000000000001", "global", base],
    ]);
    await recordUsage(suite.svc.app.db, uses, how(2));
    expect(await Promise.all(all.map((o) => lastUsed(o.table, o.id)))).toEqual(all.map((_, i) => base + i * 1000));
  });

  it("moves an instant forward and never back, whatever order the batches come in (3 keys in a statement of 4 rows, one of them null)", async () => {
    const all = await owners();
    const base = Date.UTC(2026, 5, 1);
    await recordUsage(suite.svc.app.db, usesOf(all.map((o) => [o.id, o.kind, base])), how(4));
    // Half the owners get an older instant (a late flush from another instance), half a newer one.
    const later = usesOf(all.map((o, i) => [o.id, o.kind, i % 2 === 0 ? base - 60_000 : base + 60_000]));
    await recordUsage(suite.svc.app.db, later, how(4));
    expect(await Promise.all(all.map((o) => lastUsed(o.table, o.id)))).toEqual(all.map((_, i) => (i % 2 === 0 ? base : base + 60_000)));
  });

  it("refuses a number of owners per statement that is not a whole number of at least 1, naming it", async () => {
    const uses = usesOf([["00000000-0000-7000-8000-000000000001", "global", 1]]);
    await expect(recordUsage(suite.svc.app.db, uses, how(0))).rejects.toThrow("perStatement must be a whole number of at least 1, got 0.");
    await expect(recordUsage(suite.svc.app.db, uses, how(2.5))).rejects.toThrow("perStatement must be a whole number of at least 1, got 2.5.");
  });
});

describe("UsageRecorder (the batches' writer)", () => {
  it("writes at stop the uses recorded while a flush was in flight, not only that flush's batch", async () => {
    const [first, second] = (await owners()).filter((o) => o.kind === "global");
    const errors: unknown[] = [];
    const recorder = new UsageRecorder(suite.svc.app.db, how(500), 60_000, (err) => errors.push(err));
    recorder.touch(first.id, first.kind, 1_000);
    const inFlight = recorder.flush();
    recorder.touch(second.id, second.kind, 2_000);
    await recorder.stop();
    await inFlight;
    expect(errors).toEqual([]);
    expect([await lastUsed(first.table, first.id), await lastUsed(second.table, second.id)]).toEqual([1_000, 2_000]);
  });

  it("writes a failed batch's instants as they were once the store answers again, under the later batch's own reckoning", async () => {
    const [key, , , member] = await owners();
    const errors: unknown[] = [];
    // perStatement 0 makes every write throw until it is set right: the store "answers again".
    const write = how(0);
    const recorder = new UsageRecorder(suite.svc.app.db, write, 60_000, (err) => errors.push(err));
    recorder.touch(key.id, key.kind, 5_000);
    recorder.touch(member.id, member.kind, 7_000);
    // The batch that fails and the one it is merged into start on different milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const failing = recorder.flush();
    // A use recorded while the failing batch is in flight is newer than the one merged back, and stays.
    recorder.touch(member.id, member.kind, 9_000);
    await failing;
    expect(errors).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    write.perStatement = 500;
    await recorder.stop();
    expect(errors).toHaveLength(1);
    expect([await lastUsed(key.table, key.id), await lastUsed(member.table, member.id)]).toEqual([5_000, 9_000]);
  });
});
