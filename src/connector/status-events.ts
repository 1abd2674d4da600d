import { sql } from 'kysely';
import { type Actor, actorColumns } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { cleanMultiline } from '../contracts/text.ts';
import { AppError, NotFound } from '../errors.ts';
import type { TStatusEvent } from './contracts.ts';
import { actionEntering, FINAL_STATUSES, WAITING_STATUSES } from './status-rules.ts';

export type StatusOutcome = 'applied' | 'journaled_late' | 'duplicate';
export type StatusResult = { outcome: StatusOutcome; status: number } | { error: AppError };

export interface CodedEvent extends TStatusEvent {
  /** The dossier's canonical code. */
  code: string;
}

/**
 * A status the external system recorded, at the time it recorded it. Their lifecycle, not ours: any national
 * status may follow any other. Events are ordered by `at`: one at or after the newest applied becomes the
 * dossier's status, with a journal entry and a status change in the planners' outbox (the citizen is told
 * exactly as at our own desk); an older one arriving late is journaled only, so no outdated message goes out;
 * a repeated eventId is a no-op.
 */
export async function recordExternalStatus(
  app: AppContext,
  actor: Actor,
  code: string,
  ev: TStatusEvent,
  correlationId: string,
): Promise<{ outcome: StatusOutcome; status: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [r] = await writeStatusEvents(app, actor, [{ ...ev, code }], correlationId);
      if ('error' in r!) {
        throw r.error;
      }
      return r!;
    } catch (err) {
      // The same eventId sent twice at once: the second statement meets the first's row. Read it again.
      if ((err as { code?: string }).code === '23505') {
        if (attempt < 3) {
          continue;
        }
        throw new AppError(
          'event_conflict',
          'The event could not be recorded because of a concurrent one; send it again',
          'Sự kiện trùng lặp, vui lòng gửi lại.',
        );
      }
      throw err;
    }
  }
}

/**
 * Events of DIFFERENT dossiers (the sync's rounds) recorded by one statement; when that statement fails (one
 * bad row fails it all), each is recorded on its own, so that a bad one fails only itself.
 */
export async function recordExternalStatuses(
  app: AppContext,
  actor: Actor,
  events: CodedEvent[],
  correlationId: string,
): Promise<StatusResult[]> {
  if (events.length === 0) {
    return [];
  }
  try {
    return await writeStatusEvents(app, actor, events, correlationId);
  } catch (err) {
    app.logger.warn({ err, events: events.length }, 'status events together failed; one by one instead');
    const results: StatusResult[] = [];
    for (const ev of events) {
      try {
        results.push(await recordExternalStatus(app, actor, ev.code, ev, correlationId));
      } catch (e) {
        results.push({ error: asAppError(e) });
      }
    }
    return results;
  }
}

function asAppError(err: unknown): AppError {
  return err instanceof AppError
    ? err
    : new AppError('internal_error', 'The event could not be recorded; send it again', 'Lỗi hệ thống.');
}

/**
 * ONE statement (one implicit transaction, one round trip) for events of distinct dossiers: the dossier rows
 * are locked in id order while it runs, so concurrent events of one dossier are decided one after the other,
 * and the journal's sequence follows the version read under the lock.
 */
async function writeStatusEvents(
  app: AppContext,
  actor: Actor,
  events: CodedEvent[],
  correlationId: string,
): Promise<StatusResult[]> {
  const who = actorColumns(actor);
  const col = <T>(f: (e: CodedEvent, i: number) => T) => events.map(f);
  const { rows } = await sql<{
    idx: number;
    found: boolean;
    dup_applied: boolean | null;
    applied: boolean | null;
    status_before: number | null;
  }>`
    with input as (
      select * from unnest(
        ${col((_e, i) => i)}::int[], ${col((e) => e.code)}::text[], ${col((e) => e.eventId)}::text[],
        ${col((e) => e.status)}::smallint[], ${col((e) => new Date(e.at).toISOString())}::timestamptz[],
        ${col((e) => cleanMultiline(e.note ?? ''))}::text[], ${col((e) => JSON.stringify(e.data ?? {}))}::jsonb[],
        ${col((e) => actionEntering(e.status))}::text[],
        ${col((e) => FINAL_STATUSES.includes(e.status))}::boolean[],
        ${col((e) => WAITING_STATUSES.includes(e.status))}::boolean[]
      ) as i(idx, code, event_id, status, at, note, data, action, final, waiting)
    ), d as (
      select x.id, x.status as status_before, x.version, x.external_status_at, i.*
      from dossier x join input i on x.code = i.code
      where x.agency_id = ${actor.agencyId}
      order by x.id
      for update of x
    ), dup as (
      select e.event_id, e.applied from external_status_event e
      where e.agency_id = ${actor.agencyId} and e.event_id in (select event_id from input)
    ), go as (
      select d.*, (d.external_status_at is null or d.at >= d.external_status_at) as applied
      from d where not exists (select 1 from dup where dup.event_id = d.event_id)
    ), upd as (
      update dossier x set
        version = x.version + 1,
        updated_at = ${app.clock()},
        status = case when go.applied then go.status else x.status end,
        external_status_at = case when go.applied then go.at else x.external_status_at end,
        status_data = case when go.applied then go.data else x.status_data end,
        finished_at = case when not go.applied then x.finished_at
                           when go.final then coalesce(x.finished_at, go.at) else null end,
        returned_at = case when go.applied and go.status = 10 then go.at
                           when go.applied then null else x.returned_at end,
        clock_paused_at = case when not go.applied then x.clock_paused_at
                               when go.waiting then go.at else null end
      from go where x.id = go.id
      returning x.id
    ), j as (
      insert into dossier_journal (dossier_id, seq, at, action, from_status, to_status, actor_user_id,
                                   actor_api_key_id, actor_name, note, data, correlation_id)
      select go.id, go.version + 1, go.at, go.action, go.status_before, go.status,
             ${who.actor_user_id}::int, ${who.actor_api_key_id}::int, ${who.actor_name}, go.note,
             go.data || jsonb_build_object('source', 'external', 'eventId', go.event_id, 'late', not go.applied),
             ${correlationId}
      from go
      returning id, dossier_id
    ), ev as (
      insert into external_status_event (agency_id, event_id, dossier_id, status, at, journal_id, applied)
      select ${actor.agencyId}, go.event_id, go.id, go.status, go.at, j.id, go.applied
      from go join j on j.dossier_id = go.id
      returning event_id
    ), queued as (
      insert into status_change (journal_id, dossier_id, from_status, to_status, action)
      select j.id, go.id, go.status_before, go.status, go.action from go join j on j.dossier_id = go.id
      where go.applied
      returning journal_id
    )
    select i.idx, d.id is not null as found, dup.applied as dup_applied, go.applied, d.status_before,
           (select count(*) from upd) + (select count(*) from ev) + (select count(*) from queued) as written
    from input i
    left join d on d.idx = i.idx
    left join dup on dup.event_id = i.event_id
    left join go on go.idx = i.idx
    order by i.idx`.execute(app.db);
  return rows.map((r) => {
    const ev = events[r.idx]!;
    if (!r.found) {
      return { error: NotFound('dossier', ev.code, 'Không tìm thấy hồ sơ.') };
    }
    if (r.dup_applied !== null) {
      return { outcome: 'duplicate' as const, status: r.status_before! };
    }
    return r.applied
      ? { outcome: 'applied' as const, status: ev.status }
      : { outcome: 'journaled_late' as const, status: r.status_before! };
  });
}
