import { type Selectable, sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';
import type { NotificationTable } from '../db/schema.ts';

/**
 * The Zalo channel's statements: claiming due messages, recording sends and delivery receipts. The
 * performance-critical ones are built by `…Statement` functions (snapshots in src/zalo/sql/, compared by
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

export type ClaimedNotification = Selectable<NotificationTable>;

/**
 * Up to `limit` Zalo messages that are due, claimed until `leaseEnd`: queued or waiting, retry time reached,
 * not claimed by a live node, and sendable (a phone message needs its template). `skip locked` lets every
 * node claim at once without waiting for each other. A message is not claimed while an older one of the same
 * dossier and recipient is being sent (its lease running); `has_newer` says a newer one is planned behind it.
 * Served by notification_due_idx (next_attempt_at nulls first, id) where state in ('queued', 'waiting').
 */
export function claimDueStatement(p: { now: Date; leaseEnd: Date; limit: number; ids: number[] | null }) {
  return sql<ClaimedNotification & { has_newer: boolean }>`
    with due as (
      select n.id from notification n
      where n.state in ('queued', 'waiting') and n.channel in ('zalo_phone', 'zalo_uid')
        and (n.next_attempt_at is null or n.next_attempt_at <= ${p.now})
        and (n.claimed_until is null or n.claimed_until < ${p.now})
        and (n.channel = 'zalo_uid' or n.template_id is not null)
        and (${p.ids}::bigint[] is null or n.id = any(${p.ids}::bigint[]))
        and not exists (
          select 1 from notification older
          where older.dossier_id = n.dossier_id and older.channel = n.channel and older.recipient = n.recipient
            and older.journal_seq < n.journal_seq and older.claimed_until >= ${p.now})
      order by n.next_attempt_at nulls first, n.id
      limit ${p.limit}
      for update of n skip locked
    )
    update notification n set claimed_until = ${p.leaseEnd}
    from due where n.id = due.id
    returning n.*, exists (
      select 1 from notification newer
      where newer.dossier_id = n.dossier_id and newer.channel = n.channel and newer.recipient = n.recipient
        and newer.journal_seq > n.journal_seq and newer.state not in ('failed', 'cancelled')) as has_newer`;
}

/** Claimed messages that a newer one of their dossier and recipient made outdated: never sent. */
export async function markSuperseded(db: Queryable, ids: number[], now: Date): Promise<void> {
  if (ids.length > 0) {
    await db
      .updateTable('notification')
      .set({ state: 'superseded', claimed_until: null, updated_at: now })
      .where('id', 'in', ids)
      .execute();
  }
}

/** Gives claimed messages back, due again at `at`. */
export async function releaseClaims(db: Queryable, ids: number[], at: Date, now: Date): Promise<void> {
  if (ids.length > 0) {
    await db
      .updateTable('notification')
      .set({ claimed_until: null, next_attempt_at: at, updated_at: now })
      .where('id', 'in', ids)
      .execute();
  }
}

/** One call to Zalo as the attempt log keeps it. */
export interface AttemptRecord {
  notificationId: number;
  outcome: string;
  errorCode: number | null;
  errorMessage: string | null;
  durationMs: number;
}

/** The attempts of a batch of sends, in one statement. */
export function insertAttemptsStatement(attempts: AttemptRecord[]) {
  return sql`insert into notification_attempt (notification_id, outcome, error_code, error_message, duration_ms)
      select * from unnest(${attempts.map((a) => a.notificationId)}::bigint[],
        ${attempts.map((a) => a.outcome)}::text[],
        ${attempts.map((a) => a.errorCode)}::int[],
        ${attempts.map((a) => a.errorMessage)}::text[],
        ${attempts.map((a) => a.durationMs)}::int[])`;
}

/** A message Zalo accepted: its msg_id, and whether a test recipient's delivery is simulated. */
export interface AcceptedSend {
  id: number;
  msgId: string;
  simulated: boolean;
}

/**
 * Messages Zalo accepted, in one statement: sent with Zalo's msg_id, claims released. A delivery receipt may
 * already have arrived: never back from delivered.
 */
export function recordAcceptedStatement(accepted: AcceptedSend[], now: Date) {
  return sql`update notification n set
        state = case when n.state = 'delivered' or v.simulated then 'delivered' else 'sent' end,
        delivered_at = case when v.simulated then ${now} else n.delivered_at end,
        provider_msg_id = v.msg_id, sent_at = ${now}, attempts = n.attempts + 1,
        error_code = null, error_message = null, error_vi = null, wait_cause = null, claimed_until = null,
        updated_at = ${now}
      from unnest(${accepted.map((a) => a.id)}::bigint[], ${accepted.map((a) => a.msgId)}::text[],
        ${accepted.map((a) => a.simulated)}::boolean[]) as v(id, msg_id, simulated)
      where n.id = v.id`;
}

/** The message is given up. */
export async function markNotificationFailed(
  db: Queryable,
  id: number,
  f: { unreachable: boolean; code: number | null; message: string; reasonVi: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('notification')
    .set((eb) => ({
      state: 'failed',
      unreachable: f.unreachable,
      error_code: f.code,
      error_message: f.message,
      error_vi: f.reasonVi,
      attempts: eb('attempts', '+', 1),
      failed_at: now,
      claimed_until: null,
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
}

/** A transient failure: one more attempt counted, due again at `at`. */
export async function markRetryAt(
  db: Queryable,
  id: number,
  at: Date,
  outcome: { code: number | null; message: string; reasonVi: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('notification')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      next_attempt_at: at,
      error_code: outcome.code,
      error_message: outcome.message,
      error_vi: outcome.reasonVi,
      claimed_until: null,
      updated_at: now,
    }))
    .where('id', '=', id)
    .execute();
}

/** Zalo will not take the message yet (no connection, template, quota): waiting for `cause`, due again at `at`. */
export async function markWaiting(
  db: Queryable,
  id: number,
  w: { cause: string; code: number | null; message: string; reasonVi: string; at: Date },
  now: Date,
): Promise<void> {
  await db
    .updateTable('notification')
    .set({
      state: 'waiting',
      wait_cause: w.cause,
      error_code: w.code,
      error_message: w.message,
      error_vi: w.reasonVi,
      next_attempt_at: w.at,
      claimed_until: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** A webhook event to store: its unique key, name, `X-ZEvent-Server`, body, and the citizen it orders by. */
export interface IncomingEvent {
  dedupeKey: string;
  name: string;
  server: string | null;
  raw: string;
  /** The citizen whose events are answered in order (event-lane.ts `citizenKey`), or null. */
  citizen: string | null;
}

/** The first key of the webhook's advisory locks (the second is the citizen's hash): apart from other locks. */
const CITIZEN_LOCK_SPACE = 51_001;

/**
 * Stores webhook events in one statement, each once under its unique key; returns the keys stored now. A
 * citizen's events are answered in id order (event-lane.ts), and an id is drawn at insert, not at commit: so the
 * statement first takes a transaction lock per citizen of the batch (in one order: two batches never wait on each
 * other in a cycle), and a concurrent batch — another request, another node — with an event of the same citizen
 * waits until this one commits before it draws its ids. A later event is then never visible before an earlier one.
 */
export function storeEventsStatement(events: IncomingEvent[]) {
  const column = <T>(pick: (e: IncomingEvent) => T) => events.map(pick);
  return sql<{ dedupe_key: string }>`
    with locked as (
      select pg_advisory_xact_lock(${CITIZEN_LOCK_SPACE}, hashtext(citizen))
      from (select distinct citizen from unnest(${column((e) => e.citizen)}::text[]) citizen
            where citizen is not null order by citizen) citizens
    )
    insert into zalo_event (dedupe_key, event_name, server, raw)
    select e.dedupe_key, e.event_name, e.server, e.raw
    from unnest(${column((e) => e.dedupeKey)}::text[], ${column((e) => e.name)}::text[],
                ${column((e) => e.server)}::text[], ${column((e) => e.raw)}::jsonb[])
           as e (dedupe_key, event_name, server, raw),
         -- Every lock is held before the first id is drawn: the rows come out of this join only once it is read.
         (select count(*) from locked) as locks
    on conflict (dedupe_key) do nothing
    returning dedupe_key`;
}

/** The citizen whose events are ordered (the same rule as event-lane.ts `citizenKey`), or null. */
export function orderedCitizenOf(name: string, event: Record<string, unknown>): string | null {
  const id =
    name === 'follow' || name === 'unfollow'
      ? (event.follower as { id?: unknown } | undefined)?.id
      : name.startsWith('user_send_')
        ? (event.sender as { id?: unknown } | undefined)?.id
        : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}
