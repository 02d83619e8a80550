import type { CheckFailure } from "./types";
import { parseDuration } from "./duration";
import { isUnknown } from "./unknown";

/** Collects one failure per bad property, each a sentence that quotes the value. */
export class Failures {
  readonly list: CheckFailure[] = [];

  add(property: string, value: unknown, reason: string): void {
    this.list.push({ property, reason: `${property} ${JSON.stringify(value)} ${reason}` });
  }

  string(inputs: Record<string, unknown>, property: string, opts: { required?: boolean; max?: number; min?: number } = {}): void {
    const value = inputs[property];
    if (isUnknown(value)) return;
    if (value === undefined || value === null) {
      if (opts.required) this.list.push({ property, reason: `${property} is required.` });
      return;
    }
    if (typeof value !== "string") return this.add(property, value, "must be a string.");
    if (value.length < (opts.min ?? 0)) return this.add(property, value, `must be at least ${opts.min} characters.`);
    if (opts.max !== undefined && value.length > opts.max) this.list.push({ property, reason: `${property} must be at most ${opts.max} characters (it has ${value.length}).` });
  }

  boolean(inputs: Record<string, unknown>, property: string): void {
    const value = inputs[property];
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "boolean") this.add(property, value, "must be true or false.");
  }

  duration(inputs: Record<string, unknown>, property: string, maxMs?: number): void {
    const value = inputs[property];
    if (value === undefined || isUnknown(value)) return;
    const ms = typeof value === "string" ? parseDuration(value) : undefined;
    if (ms === undefined) return this.add(property, value, 'must be a duration such as "90d", "12h", "30m" or "1h30m".');
    if (maxMs !== undefined && ms > maxMs) this.add(property, value, `must be at most ${maxMs / 1000} seconds.`);
  }

  instant(inputs: Record<string, unknown>, property: string): void {
    const value = inputs[property];
    if (value === undefined || value === null || isUnknown(value)) return;
    const ok = typeof value === "string" && /(Z|[+-]\d{2}:\d{2})$/i.test(value) && !Number.isNaN(Date.parse(value));
    if (!ok) this.add(property, value, "must be an ISO-8601 instant with an offset, like 2026-12-31T23:59:59Z.");
  }

  triggers(inputs: Record<string, unknown>, property: string): void {
    const value = inputs[property];
    if (value === undefined || isUnknown(value)) return;
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.add(property, value, "must be a map of names to values.");
  }
}
