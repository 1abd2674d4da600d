import type { AppContext } from '../app-context.ts';
import { ZALO_CALL_TIMEOUT_MS } from './client.ts';
import { type ClaimedNotification, claimDueStatement, markSuperseded, releaseClaims } from './repo.ts';

export type { ClaimedNotification } from './repo.ts';

/** Longer than a call to Zalo can last, plus the time to record its outcome. */
export const CLAIM_LEASE_MS = ZALO_CALL_TIMEOUT_MS + 5_000;

/**
 * Claims up to `limit` Zalo messages that are due, for this node to send now: queued or waiting, retry time
 * reached, not claimed by a live node, and sendable (a phone message needs its template). `skip locked` lets
 * every node claim at once without waiting for each other.
 *
 * Order per dossier and recipient: a message is not claimed while an older one of the same dossier is being
 * sent (its lease running), so the newer one cannot overtake it; one that has a newer message planned behind
 * it is superseded instead of sent, so the citizen never reads an outdated status last.
 */
export async function claimDue(
  app: AppContext,
  opts: { limit: number; ids?: number[] },
): Promise<ClaimedNotification[]> {
  const now = app.clock();
  const leaseEnd = new Date(now.getTime() + CLAIM_LEASE_MS);
  const ids = opts.ids ?? null;
  const claimed = await claimDueStatement({ now, leaseEnd, limit: opts.limit, ids }).execute(app.db);
  const outdated = claimed.rows.filter((r) => r.has_newer).map((r) => r.id);
  await markSuperseded(app.db, outdated, now);
  return claimed.rows
    .filter((r) => !r.has_newer)
    .map(({ has_newer: _, ...n }) => n)
    .sort((a, b) => a.id - b.id);
}

/** Gives claimed messages back, due again at `at` (no attempt was made: the rate limit said wait). */
export async function releaseUntil(app: AppContext, ids: number[], at: Date): Promise<void> {
  await releaseClaims(app.db, ids, at, app.clock());
}
