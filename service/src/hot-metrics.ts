import type { Metric } from "prom-client";

/** One route pattern and method: its answers by status, and its durations by bucket (not cumulative). */
interface Series {
  statuses: Map<number, number>;
  buckets: number[];
  sum: number;
  count: number;
}

/** A sample as prom-client's registry formats it. */
interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * Requests by route pattern, method and status, and their durations, for /metrics. Counted on the
 * request path in plain numbers: prom-client's own counter and histogram validate and hash their
 * labels on every call, about 2.5 µs a request (a tenth of an execute: `npm run bench`). Read into
 * Prometheus's format only when scraped, through prom-client's registry like every other metric.
 */
export class RequestMetrics {
  /** By route pattern, then method: both bounded (patterns of the route table, methods the HTTP parser accepts). */
  private readonly series = new Map<string, Map<string, Series>>();

  constructor(private readonly bounds: readonly number[]) {}

  record(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (byMethod === undefined) this.series.set(route, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (series === undefined) byMethod.set(method, (series = { statuses: new Map(), buckets: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 }));
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) bucket++;
    series.buckets[bucket]++;
    series.sum += seconds;
    series.count++;
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
  }

  /** Every request counted so far. */
  total(): number {
    let n = 0;
    for (const byMethod of this.series.values()) for (const series of byMethod.values()) n += series.count;
    return n;
  }

  /** The counter of requests by route, method and status, as a metric of a prom-client registry. */
  counter(name: string, help: string): Metric {
    return this.metric(name, help, "counter", () => {
      const values: Sample[] = [];
      for (const [route, method, series] of this.each()) {
        for (const [status, value] of series.statuses) values.push({ labels: { route, method, status: String(status) }, value });
      }
      return values;
    });
  }

  /** The histogram of durations by route and method, as a metric of a prom-client registry. */
  histogram(name: string, help: string): Metric {
    return this.metric(name, help, "histogram", () => {
      const values: Sample[] = [];
      for (const [route, method, series] of this.each()) {
        let cumulative = 0;
        this.bounds.forEach((le, i) => {
          cumulative += series.buckets[i];
          values.push({ metricName: `${name}_bucket`, labels: { le, route, method }, value: cumulative });
        });
        values.push({ metricName: `${name}_bucket`, labels: { le: "+Inf", route, method }, value: series.count });
        values.push({ metricName: `${name}_sum`, labels: { route, method }, value: series.sum });
        values.push({ metricName: `${name}_count`, labels: { route, method }, value: series.count });
      }
      return values;
    });
  }

  private *each(): Generator<[string, string, Series]> {
    for (const [route, byMethod] of this.series) for (const [method, series] of byMethod) yield [route, method, series];
  }

  private metric(name: string, help: string, type: "counter" | "histogram", values: () => Sample[]): Metric {
    return registryMetric(name, help, type, values, () => this.series.clear());
  }
}

/** A counter of one label (an outcome, a code), counted in a plain map on the hot path and read by prom-client's registry when scraped. */
export class LabelCounter<L extends string> {
  private readonly counts = new Map<string, number>();
  readonly metric: Metric;

  constructor(name: string, help: string, private readonly label: L) {
    this.metric = registryMetric(name, help, "counter", () => [...this.counts].map(([value, n]) => ({ labels: { [label]: value }, value: n })), () => this.counts.clear());
  }

  inc(labels: Record<L, string>): void {
    const value = labels[this.label];
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
}

/**
 * The shape prom-client's registry reads a metric in (`get()`, `reset()`), for numbers kept
 * elsewhere. It is registered as a `Metric` but has none of a counter's own methods (`inc`,
 * `labels`): it is read through the registry only, and counted through the classes above.
 */
function registryMetric(name: string, help: string, type: "counter" | "histogram", values: () => Sample[], reset: () => void): Metric {
  const metric = { name, help, type, aggregator: "sum", get: async () => ({ name, help, type, aggregator: "sum", values: values() }), reset };
  return metric as unknown as Metric;
}
