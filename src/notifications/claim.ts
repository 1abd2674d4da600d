import { type Selectable, sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import type { NotificationTable } from '../db/schema.ts';
import { ZALO_CALL_TIMEOUT_MS } from '../zalo/client.ts';

export type ClaimedNotification = Selectable<NotificationTable>;

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
  const claimed = await sql<ClaimedNotification & { has_newer: boolean }>`
    with due as (
      select n.id from notification n
      where n.state in ('queued', 'waiting') and n.channel in ('zalo_phone', 'zalo_uid')
        and (n.next_attempt_at is null or n.next_attempt_at <= ${now})
        and (n.claimed_until is null or n.claimed_until < ${now})
        and (n.channel = 'zalo_uid' or n.template_id is not null)
        and (${ids}::bigint[] is null or n.id = any(${ids}::bigint[]))
        and not exists (
          select 1 from notification older
          where older.dossier_id = n.dossier_id and older.channel = n.channel and older.recipient = n.recipient
            and older.journal_seq < n.journal_seq and older.claimed_until >= ${now})
      order by n.next_attempt_at nulls first, n.id
      limit ${opts.limit}
      for update of n skip locked
    )
    update notification n set claimed_until = ${leaseEnd}
    from due where n.id = due.id
    returning n.*, exists (
      select 1 from notification newer
      where newer.dossier_id = n.dossier_id and newer.channel = n.channel and newer.recipient = n.recipient
        and newer.journal_seq > n.journal_seq and newer.state not in ('failed', 'cancelled')) as has_newer`.execute(
    app.db,
  );
  const outdated = claimed.rows.filter((r) => r.has_newer).map((r) => r.id);
  if (outdated.length > 0) {
    await app.db
      .updateTable('notification')
      .set({ state: 'superseded', claimed_until: null, updated_at: now })
      .where('id', 'in', outdated)
      .execute();
  }
  return claimed.rows
    .filter((r) => !r.has_newer)
    .map(({ has_newer: _, ...n }) => n)
    .sort((a, b) => a.id - b.id);
}

/** Gives claimed messages back, due again at `at` (no attempt was made: the rate limit said wait). */
export async function releaseUntil(app: AppContext, ids: number[], at: Date): Promise<void> {
  if (ids.length > 0) {
    await app.db
      .updateTable('notification')
      .set({ claimed_until: null, next_attempt_at: at, updated_at: app.clock() })
      .where('id', 'in', ids)
      .execute();
  }
}

/** The name by which a node's dispatcher is woken when messages become due (in-process, or NOTIFY). */
export const DUE_CHANNEL = 'notification_due';

/** In the caller's transaction: wakes every node's dispatcher once it commits (for rare actions only). */
export async function notifyDue(db: Queryable): Promise<void> {
  await sql`select pg_notify(${DUE_CHANNEL}, '')`.execute(db);
}
