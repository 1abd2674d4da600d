import { type Insertable, type Selectable, sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';
import type { NotificationTable } from '../db/schema.ts';
import { statusChanges } from '../dossiers/repo.ts';
import { candidateBindings } from './bindings.ts';

/**
 * The notification pipeline's statements: claiming due messages, planning them, recording sends. Each
 * performance-critical one is built by a `…Statement` function so that src/notifications/sql.test.ts can
 * compile it with fixed parameters and compare it with its snapshot in src/notifications/sql/ (a reviewer
 * sees the SQL that runs; docs/testing.md).
 */

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

/** The status change a message is about; its correlation id goes with the message. */
export type MessageRow = {
  journal_id: number;
  seq: number;
  dossier_id: number;
  correlation_id?: string | null;
};

export type NewMessage = {
  row: MessageRow;
  error_vi: string | null;
} & Pick<
  Insertable<NotificationTable>,
  'channel' | 'recipient' | 'template_key' | 'template_id' | 'payload' | 'rendered' | 'state' | 'wait_cause'
>;

/**
 * Messages of status changes in one statement, whatever their number: each inserted once (a replayed status
 * change creates nothing, unique on journal_id, channel, recipient), and the recipient's older unsent messages
 * of the dossier superseded by every new one that is not itself written superseded.
 */
export function insertMessagesStatement(messages: NewMessage[], now: Date) {
  const column = <T>(f: (m: NewMessage) => T) => messages.map(f);
  return sql<{ id: number; channel: string; correlation_id: string | null; state: string }>`
    with ins as (
      insert into notification (dossier_id, journal_id, journal_seq, channel, recipient, template_key,
                                template_id, payload, rendered, state, error_vi, wait_cause, correlation_id)
      select * from unnest(
        ${column((m) => m.row.dossier_id)}::int[], ${column((m) => m.row.journal_id)}::bigint[],
        ${column((m) => m.row.seq)}::int[], ${column((m) => m.channel)}::text[], ${column((m) => m.recipient)}::text[],
        ${column((m) => m.template_key)}::text[], ${column((m) => m.template_id ?? null)}::text[],
        ${column((m) => m.payload ?? '{}')}::jsonb[], ${column((m) => m.rendered ?? '')}::text[],
        ${column((m) => m.state)}::text[], ${column((m) => m.error_vi)}::text[],
        ${column((m) => m.wait_cause ?? null)}::text[], ${column((m) => m.row.correlation_id ?? null)}::text[])
      on conflict (journal_id, channel, recipient) do nothing
      returning id, dossier_id, channel, recipient, journal_seq, state, correlation_id
    ), older as (
      update notification n set state = 'superseded', updated_at = ${now}
      from ins
      where ins.state <> 'superseded' and n.dossier_id = ins.dossier_id and n.channel = ins.channel
        and n.recipient = ins.recipient and n.journal_seq < ins.journal_seq and n.state in ('queued', 'waiting')
    )
    select id, channel, correlation_id, state from ins`;
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

/** What planning decides on: opt-in, the candidate template bindings, whether anyone follows the dossier. */
export function planningFacts(query: ReturnType<typeof statusChanges>) {
  return query.select((eb) => [
    'd.notify_by_zalo',
    candidateBindings.as('bindings'),
    eb
      .exists(
        eb
          .selectFrom('dossier_follower as df')
          .select('df.dossier_id')
          .whereRef('df.dossier_id', '=', 'd.id')
          .where('df.stopped_at', 'is', null),
      )
      .as('has_followers'),
  ]);
}

/** A batch of status changes with what planning decides on (planPhoneMessages: one read per batch). */
export function planningFactsOf(db: Queryable, journalIds: number[]) {
  return planningFacts(statusChanges(db)).where(sql<boolean>`j.id = any(${journalIds}::bigint[])`);
}

/**
 * Zalo users who asked to follow the dossier ("Theo dõi hồ sơ này") and can still be reached: followers of
 * the OA, or users who wrote since `windowStart` (the 7-day window). A user whose shared phone is the
 * dossier's own registered phone already gets the message by phone and is left out.
 */
export function followersToTell(
  db: Queryable,
  windowStart: Date,
  dossierId: number,
  notifiedPhone: string | null,
) {
  return db
    .selectFrom('dossier_follower as df')
    .innerJoin('zalo_follower as zf', 'zf.user_id', 'df.zalo_user_id')
    .select(['df.zalo_user_id', 'zf.last_interaction_at'])
    .where('df.dossier_id', '=', dossierId)
    .where('df.stopped_at', 'is', null)
    .where((eb) => eb.or([eb('zf.followed', '=', true), eb('zf.last_interaction_at', '>', windowStart)]))
    .$if(notifiedPhone !== null, (q) =>
      q.where((eb) =>
        eb.or([eb('zf.shared_phone', 'is', null), eb('zf.shared_phone', '!=', notifiedPhone!)]),
      ),
    )
    .execute();
}
