import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/**
 * The Zalo channel's performance-critical statements (snapshots in src/zalo/sql/, compared by
 * src/zalo/sql.test.ts; docs/testing.md).
 */

export const RECEIPT_EVENT = 'user_received_message';

/** A receipt that names a message whose send is not recorded yet waits this long for it, then is let go. */
const EARLY_RECEIPT_WAIT = '10 minutes';

/**
 * Records up to `limit` unprocessed delivery receipts in one statement (see recordReceipts): delivered
 * messages, and every event's outcome. `ours` is the pattern of our tracking ids, capturing the notification id.
 */
export function recordReceiptsStatement(p: { now: Date; ours: string; ids: number[] | null; limit: number }) {
  return sql<{
    id: number;
    outcome: string;
    notification_id: number | null;
    correlation_id: string | null;
  }>`
    with ev as (
      select e.id, e.raw -> 'message' as m, e.received_at,
        coalesce(e.raw -> 'message' ->> 'tracking_id', '') <> '' as tracked,
        substring(e.raw -> 'message' ->> 'tracking_id' from ${p.ours})::bigint as our_id
      from zalo_event e
      where e.event_name = ${RECEIPT_EVENT} and e.processed_at is null
        and (${p.ids}::bigint[] is null or e.id = any(${p.ids}::bigint[]))
      order by e.id
      limit ${p.limit}
      for update skip locked
    ), early as (
      select ev.id from ev join notification n on n.id = ev.our_id
      where n.channel = 'zalo_phone' and n.provider_msg_id is null and n.state in ('queued', 'waiting')
        and ev.received_at > ${p.now}::timestamptz - interval '${sql.raw(EARLY_RECEIPT_WAIT)}'
    ), delivered as (
      update notification n set state = 'delivered', updated_at = ${p.now},
        delivered_at = case when ev.m ->> 'delivery_time' ~ '^\\d{1,15}$'
          then to_timestamp((ev.m ->> 'delivery_time')::bigint / 1000.0) else ${p.now}::timestamptz end
      from ev
      where n.state in ('queued', 'waiting', 'sent') and n.provider_msg_id = ev.m ->> 'msg_id' and (
        (ev.our_id is not null and n.id = ev.our_id and n.channel = 'zalo_phone')
        or (not ev.tracked and n.channel = 'zalo_uid'))
      returning ev.id as event_id, n.id as notification_id, n.correlation_id
    ), marked as (
      update zalo_event e set processed_at = ${p.now}, outcome = case
          when e.id in (select event_id from delivered) then 'delivered'
          when ev.our_id is not null then 'receipt_without_pending_notification'
          when ev.tracked then 'receipt_of_another_installation'
          else 'receipt_of_chat_message' end
      from ev where e.id = ev.id and e.id not in (select id from early)
      returning e.id, e.outcome
    )
    select marked.id, marked.outcome, d.notification_id, d.correlation_id
    from marked left join delivered d on d.event_id = marked.id`;
}

/** When a follower last wrote to the OA (opens the 7-day window for free-text messages); undefined if unknown. */
export async function lastInteractionOf(db: Queryable, userId: string): Promise<Date | undefined> {
  const follower = await db
    .selectFrom('zalo_follower')
    .select('last_interaction_at')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return follower?.last_interaction_at ? new Date(follower.last_interaction_at) : undefined;
}
