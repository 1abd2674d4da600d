import { sql } from 'kysely';
import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { type Lanes, startLanes } from '../jobs/lanes.ts';

export const RECEIPT_EVENT = 'user_received_message';

/**
 * Delivery receipts (`user_received_message`) recorded by the batch, in one statement: at a thousand sends a
 * second, a job per receipt would cost more than the sends themselves. ZBS by phone carries our
 * `tracking_id` (the notification id); a message to a follower's UID is known by Zalo's `msg_id`. A receipt
 * never moves a message back (only queued, waiting or sent become delivered); each event gets its outcome.
 * Returns how many events were recorded.
 */
export async function recordReceipts(app: AppContext, opts: { limit?: number; ids?: number[] } = {}) {
  const now = app.clock();
  const ids = opts.ids ?? null;
  const recorded = await sql<{ id: number }>`
    with ev as (
      select e.id, e.raw -> 'message' as m,
        coalesce(e.raw -> 'message' ->> 'tracking_id' ~ '^\\d{1,18}$', false) as tracked
      from zalo_event e
      where e.event_name = ${RECEIPT_EVENT} and e.processed_at is null
        and (${ids}::bigint[] is null or e.id = any(${ids}::bigint[]))
      order by e.id
      limit ${opts.limit ?? 500}
      for update skip locked
    ), delivered as (
      update notification n set state = 'delivered', updated_at = ${now},
        delivered_at = case when ev.m ->> 'delivery_time' ~ '^\\d{1,15}$'
          then to_timestamp((ev.m ->> 'delivery_time')::bigint / 1000.0) else ${now}::timestamptz end
      from ev
      where n.state in ('queued', 'waiting', 'sent') and (
        (ev.tracked and n.id = (ev.m ->> 'tracking_id')::bigint and n.channel = 'zalo_phone')
        or (not ev.tracked and n.provider_msg_id = ev.m ->> 'msg_id' and n.channel = 'zalo_uid'))
      returning ev.id as event_id
    )
    update zalo_event e set processed_at = ${now}, outcome = case
        when e.id in (select event_id from delivered) then 'delivered'
        when ev.tracked then 'receipt_without_pending_notification'
        else 'receipt_of_chat_message' end
    from ev where e.id = ev.id
    returning e.id`.execute(app.db);
  return recorded.rows.length;
}

const RECEIPT_BATCH = 500;

/** The worker node's receipt recorder: one lane, a few times a second. */
export function startReceiptRecorder(app: AppContext, pool: pg.Pool): Lanes {
  return startLanes(app, pool, {
    what: 'the delivery receipt recorder',
    name: 'zalo_receipts',
    // Receipts come by the thousand and nobody waits for them: a poll, no NOTIFY per webhook (see lanes.ts).
    pollMs: 250,
    lanes: 1,
    work: async () => (await recordReceipts(app, { limit: RECEIPT_BATCH })) >= RECEIPT_BATCH,
  });
}
