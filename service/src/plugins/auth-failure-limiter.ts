/**
 * Counts failed authentications per client address in a fixed window. In memory, per instance:
 * with several instances behind a balancer each enforces its own limit.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  isBlocked(address: string, now = Date.now()): boolean {
    const w = this.windows.get(address);
    if (!w || now - w.start >= this.windowMs) return false;
    return w.failures >= this.limit;
  }

  recordFailure(address: string, now = Date.now()): void {
    const w = this.windows.get(address);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.set(address, { start: now, failures: 1 });
      if (this.windows.size > 10_000) this.sweep(now);
      return;
    }
    w.failures++;
  }

  private sweep(now: number): void {
    for (const [address, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(address);
  }
}
