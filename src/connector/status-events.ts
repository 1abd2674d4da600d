import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { type Actor, actorColumns } from '../auth/actor.ts';
import { cleanMultiline } from '../contracts/text.ts';
import { AppError, NotFound } from '../errors.ts';
import type { TStatusEvent } from './contracts.ts';
import { actionEntering, FINAL_STATUSES, WAITING_STATUSES } from './status-rules.ts';

export type StatusOutcome = 'applied' | 'journaled_late' | 'duplicate';

/**
 * A status the external system recorded, at the time it recorded it. Their lifecycle, not ours: any national
 * status may follow any other. Events are ordered by `at`: one at or after the newest applied becomes the
 * dossier's status, with a journal entry and a status change in the planners' outbox (the citizen is told
 * exactly as at our own desk); an older one arriving late is journaled only, so no outdated message goes out;
 * a repeated eventId is a no-op. All of it is ONE statement (one implicit transaction, one round trip): the
 * dossier row is locked while it runs, so concurrent events of one dossier are decided one after the other.
 */
export async function recordExternalStatus(
  app: AppContext,
  actor: Actor,
  code: string,
  ev: TStatusEvent,
  correlationId: string,
): Promise<{ outcome: StatusOutcome; status: number }> {
  const note = cleanMultiline(ev.note ?? '');
  const at = new Date(ev.at);
  const action = actionEntering(ev.status);
  const final = FINAL_STATUSES.includes(ev.status);
  const waiting = WAITING_STATUSES.includes(ev.status);
  const who = actorColumns(actor);
  const data = JSON.stringify(ev.data ?? {});
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await sql<{
        found: boolean;
        dup_applied: boolean | null;
        applied: boolean | null;
        status_before: number | null;
      }>`
        with d as (
          select id, status, version, external_status_at from dossier
          where agency_id = ${actor.agencyId} and code = ${code}
          for update
        ), dup as (
          select applied from external_status_event where agency_id = ${actor.agencyId} and event_id = ${ev.eventId}
        ), go as (
          select d.*, (d.external_status_at is null or ${at}::timestamptz >= d.external_status_at) as applied
          from d where not exists (select 1 from dup)
        ), upd as (
          update dossier x set
            version = x.version + 1,
            updated_at = ${app.clock()},
            status = case when go.applied then ${ev.status}::smallint else x.status end,
            external_status_at = case when go.applied then ${at}::timestamptz else x.external_status_at end,
            status_data = case when go.applied then ${data}::jsonb else x.status_data end,
            finished_at = case when not go.applied then x.finished_at
                               when ${final} then coalesce(x.finished_at, ${at}::timestamptz) else null end,
            returned_at = case when go.applied and ${ev.status} = 10 then ${at}::timestamptz
                               when go.applied then null else x.returned_at end,
            clock_paused_at = case when not go.applied then x.clock_paused_at
                                   when ${waiting} then ${at}::timestamptz else null end
          from go where x.id = go.id
          returning x.id
        ), j as (
          insert into dossier_journal (dossier_id, seq, at, action, from_status, to_status, actor_user_id,
                                       actor_api_key_id, actor_name, note, data, correlation_id)
          select go.id, go.version + 1, ${at}::timestamptz, ${action}, go.status, ${ev.status}::smallint,
                 ${who.actor_user_id}::int, ${who.actor_api_key_id}::int, ${who.actor_name}, ${note},
                 ${data}::jsonb || jsonb_build_object('source', 'external', 'eventId', ${ev.eventId}::text,
                                                      'late', not go.applied),
                 ${correlationId}
          from go
          returning id
        ), ev as (
          insert into external_status_event (agency_id, event_id, dossier_id, status, at, journal_id, applied)
          select ${actor.agencyId}, ${ev.eventId}, go.id, ${ev.status}::smallint, ${at}::timestamptz, j.id, go.applied
          from go, j
          returning applied
        ), queued as (
          insert into status_change (journal_id, dossier_id, from_status, to_status, action)
          select j.id, go.id, go.status, ${ev.status}::smallint, ${action} from go, j where go.applied
          returning journal_id
        )
        select exists (select 1 from d) as found,
               (select applied from dup) as dup_applied,
               (select applied from ev) as applied,
               (select status from d) as status_before,
               (select count(*) from upd) + (select count(*) from queued) as written`.execute(app.db);
      const r = rows[0]!;
      if (!r.found) {
        throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
      }
      if (r.dup_applied !== null) {
        return { outcome: 'duplicate', status: r.status_before! };
      }
      return r.applied
        ? { outcome: 'applied', status: ev.status }
        : { outcome: 'journaled_late', status: r.status_before! };
    } catch (err) {
      // The same eventId sent twice at once: the second statement meets the first's row. Read it again.
      if ((err as { code?: string }).code === '23505' && attempt < 3) {
        continue;
      }
      if ((err as { code?: string }).code === '23505') {
        throw new AppError(
          'event_conflict',
          409,
          'The event could not be recorded because of a concurrent one; send it again',
          'Sự kiện trùng lặp, vui lòng gửi lại.',
        );
      }
      throw err;
    }
  }
}
