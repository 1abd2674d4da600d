/**
 * Fixed-window counters kept in this process. Public look-ups are the hottest read of the product: a database
 * write per request would cost more than the look-up itself. With several nodes behind a load balancer the
 * effective limit is the per-node limit times the number of nodes — still a hard bound on enumeration.
 */
export class WindowLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one hit for `key`; `retryAfterSeconds` is set when the hit is over the limit. */
  /** `now`: the app clock's time (app.clock()), so tests decide when a window ends. */
  hit(key: string, now: number): { allowed: boolean; count: number; retryAfterSeconds: number } {
    const start = now - (now % this.windowMs);
    if (start !== this.windowStart || this.counts.size >= this.maxKeys) {
      // A new window forgets the old one; a flood of distinct keys only resets the counters early.
      this.windowStart = start;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    const allowed = count <= this.limit;
    return {
      allowed,
      count,
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)),
    };
  }
}
