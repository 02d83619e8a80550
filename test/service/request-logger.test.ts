import { RequestMetrics } from "@keyservice/service/dist/hot-metrics";
import { uniqueName } from "../helpers/org";
import { serviceSuite } from "../helpers/suite";

// At info, as the service runs by default: the request lines of the hot paths and of reads are at debug, so not written.
const suite = serviceSuite({ logLevel: "info" });

describe("a request's logger", () => {
  it("is made only for a request that writes a line: none for the hot path or a read at info, one per write", async () => {
    const dep = await suite.org.deployment();
    const key = suite.ledger.add((await suite.org.admin.globalApiKeys.create({ name: uniqueName("g"), deploymentIds: [dep.id] })).key);
    const executor = suite.svc.client(undefined, suite.org.slug);
    await executor.deployments.execute(dep.name, key);
    const child = jest.spyOn(suite.svc.app.log, "child");
    try {
      for (let i = 0; i < 5; i++) await executor.deployments.execute(dep.name, key);
      expect(child).toHaveBeenCalledTimes(0);
      for (let i = 0; i < 3; i++) await suite.org.admin.deployments.get(dep.id);
      expect(child).toHaveBeenCalledTimes(0);
      for (let i = 0; i < 3; i++) await suite.org.admin.deployments.update(dep.id, { name: uniqueName("dep") });
      expect(child).toHaveBeenCalledTimes(3);
    } finally {
      child.mockRestore();
    }
  });
});

describe("the request metrics", () => {
  it("count a duration equal to a bucket's bound in that bucket (Prometheus's le, less than or equal)", async () => {
    const metrics = new RequestMetrics([0.001, 0.01]);
    for (const seconds of [0.001, 0.0011, 0.01, 0.5]) metrics.record("/r", "GET", 200, seconds);
    const { values } = (await metrics.histogram("h", "help").get()) as unknown as { values: { metricName: string; labels: { le?: string | number }; value: number }[] };
    const buckets = values.filter((v) => v.metricName === "h_bucket").map((v) => [v.labels.le, v.value]);
    expect(buckets).toEqual([
      [0.001, 1],
      [0.01, 3],
      ["+Inf", 4],
    ]);
  });
});
