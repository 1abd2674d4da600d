import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { defineOutboxLane } from '../jobs/lanes.ts';
import { metrics } from '../operations/metrics.ts';
import { installationId } from './installation.ts';

export const RECEIPT_EVENT = 'user_received_message';

/** A receipt that names a message whose send is not recorded yet waits this long for it, then is let go. */
const EARLY_RECEIPT_WAIT = '10 minutes';

/**
 * Delivery receipts (`user_received_message`) recorded by the batch, in one statement: at a thousand sends a
 * second, a job per receipt would cost more than the sends themselves. A receipt never moves a message back
 * (only queued, waiting or sent become delivered); each event gets its outcome.
 *
 * A ZBS message by phone is matched on both our `tracking_id` (`<installation>-<notification id>`; a bare id
 * from before installation ids) and Zalo's `msg_id`: two installations, or a restored copy of the database, on
 * one OA can share notification ids, never msg_ids. A receipt that arrives before its send was recorded (no
 * msg_id on our row yet, the send in flight) is left for a later pass, up to EARLY_RECEIPT_WAIT. A message to
 * a follower's UID carries no tracking id and is known by its `msg_id`.
 * Returns how many events were recorded.
 */
export async function recordReceipts(app: AppContext, opts: { limit?: number; ids?: number[] } = {}) {
  const now = app.clock();
  const ids = opts.ids ?? null;
  const ours = `^(?:${await installationId(app)}-)?(\\d{1,18})$`;
  const recorded = await sql<{
    id: number;
    outcome: string;
    notification_id: number | null;
    correlation_id: string | null;
  }>`
    with ev as (
      select e.id, e.raw -> 'message' as m, e.received_at,
        coalesce(e.raw -> 'message' ->> 'tracking_id', '') <> '' as tracked,
        substring(e.raw -> 'message' ->> 'tracking_id' from ${ours})::bigint as our_id
      from zalo_event e
      where e.event_name = ${RECEIPT_EVENT} and e.processed_at is null
        and (${ids}::bigint[] is null or e.id = any(${ids}::bigint[]))
      order by e.id
      limit ${opts.limit ?? 500}
      for update skip locked
    ), early as (
      select ev.id from ev join notification n on n.id = ev.our_id
      where n.channel = 'zalo_phone' and n.provider_msg_id is null and n.state in ('queued', 'waiting')
        and ev.received_at > ${now}::timestamptz - interval '${sql.raw(EARLY_RECEIPT_WAIT)}'
    ), delivered as (
      update notification n set state = 'delivered', updated_at = ${now},
        delivered_at = case when ev.m ->> 'delivery_time' ~ '^\\d{1,15}$'
          then to_timestamp((ev.m ->> 'delivery_time')::bigint / 1000.0) else ${now}::timestamptz end
      from ev
      where n.state in ('queued', 'waiting', 'sent') and n.provider_msg_id = ev.m ->> 'msg_id' and (
        (ev.our_id is not null and n.id = ev.our_id and n.channel = 'zalo_phone')
        or (not ev.tracked and n.channel = 'zalo_uid'))
      returning ev.id as event_id, n.id as notification_id, n.correlation_id
    ), marked as (
      update zalo_event e set processed_at = ${now}, outcome = case
          when e.id in (select event_id from delivered) then 'delivered'
          when ev.our_id is not null then 'receipt_without_pending_notification'
          when ev.tracked then 'receipt_of_another_installation'
          else 'receipt_of_chat_message' end
      from ev where e.id = ev.id and e.id not in (select id from early)
      returning e.id, e.outcome
    )
    select marked.id, marked.outcome, d.notification_id, d.correlation_id
    from marked left join delivered d on d.event_id = marked.id`.execute(app.db);
  const delivered = recorded.rows.filter((r) => r.notification_id !== null);
  for (const r of recorded.rows) {
    metrics.receipts.inc({ outcome: r.outcome });
  }
  if (delivered.length > 0) {
    app.logger.info(
      {
        delivered: delivered.map((r) => ({
          notificationId: r.notification_id,
          correlationId: r.correlation_id,
        })),
      },
      'zalo delivery receipts recorded',
    );
  }
  return recorded.rows.length;
}

const RECEIPT_BATCH = 500;

/** The worker node's receipt recorder: one lane, a few times a second. */
export const receiptLane = defineOutboxLane({
  what: 'the delivery receipt recorder',
  name: 'zalo_receipts',
  // Receipts come by the thousand and nobody waits for them: a poll, no NOTIFY per webhook (see lanes.ts).
  pollMs: 250,
  lanes: 1,
  work: async (app) => (await recordReceipts(app, { limit: RECEIPT_BATCH })) >= RECEIPT_BATCH,
});
