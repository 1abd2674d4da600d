import type { AppContext } from '../app-context.ts';

/**
 * The one backoff policy of background work: the wait before the n-th next try is `firstMs × factor^(n−1)`, at
 * most `maxMs`, spread by ± `jitter` (a fraction) so that work that failed together does not come back
 * together. Each kind of work picks its numbers; the shape is the same everywhere.
 */
export interface Backoff {
  firstMs: number;
  maxMs: number;
  /** Growth per failure (2 unless said). */
  factor?: number;
  /** 0.5: between half and one and a half times the wait. None unless said. */
  jitter?: number;
}

/**
 * The wait after the `failures`-th failure in a row (1 for the first). `random` (0 ≤ r < 1) picks the point
 * in the jitter's spread: the app's, so tests get the same wait every time (0.5 is the middle: no spread).
 */
export function backoffMs(policy: Backoff, failures: number, random: () => number = Math.random): number {
  const base = Math.min(policy.firstMs * (policy.factor ?? 2) ** Math.max(0, failures - 1), policy.maxMs);
  const spread = policy.jitter ?? 0;
  return spread === 0 ? base : Math.round(base * (1 - spread + 2 * spread * random()));
}

/** When to try again after the `failures`-th failure in a row, by the app's clock and randomness. */
export function retryAt(app: AppContext, policy: Backoff, failures: number): Date {
  return new Date(app.clock().getTime() + backoffMs(policy, failures, app.random));
}

/** Claimed outbox rows and jobs that fail: 2 s, 4 s, 8 s … after their 1st, 2nd, 3rd attempt, at most an hour. */
export const CLAIMED_WORK_BACKOFF: Backoff = { firstMs: 2_000, maxMs: 3_600_000 };

/**
 * A lane set whose whole batch fails (PostgreSQL down, typically), and the LISTEN connection: 1 s, 2 s, 4 s …
 * at most 10 s, so that an outage is not hammered five times a second.
 */
export const LANE_FAILURE_BACKOFF: Backoff = { firstMs: 1_000, maxMs: 10_000 };
