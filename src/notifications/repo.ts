import { type Insertable, sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';
import type { NotificationTable } from '../db/schema.ts';
import { statusChanges } from '../dossiers/index.ts';
import { candidateBindings } from './bindings.ts';

/**
 * Notification planning's statements (claiming and sending them is src/zalo/repo.ts). Each
 * performance-critical one is built by a `…Statement` function so that src/notifications/sql.test.ts can
 * compile it with fixed parameters and compare it with its snapshot in src/notifications/sql/ (a reviewer
 * sees the SQL that runs; docs/testing.md).
 */

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
