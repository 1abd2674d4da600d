import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { addDays, fromDayNumber, loadCalendar, toDayNumber, vnDateOf } from '../calendar/index.ts';
import { ON_TIME } from '../dashboard/index.ts';
import type { Queryable } from '../db/pool.ts';

/**
 * The scoreboard's per-day figures (public_stats_day), kept by an incremental refresh: only the (day, agency)
 * pairs touched since the last refresh are recomputed from the dossiers, in one transaction, so a read never
 * sums more than one row per day and agency whatever the number of dossiers.
 *
 * What touches a pair: a dossier received or changed (its reception day and its end day), a rating of a
 * dossier (its end day), a Zalo message of a dossier (its reception day: "reached on Zalo" counts the day's
 * intake). Changes are looked for from a little before the watermark, so a transaction that committed late
 * with an earlier timestamp is not missed; Zalo delivery receipts, which arrive after their message was
 * created, are looked for over RECEIPT_LOOKBACK_MS.
 */
const OVERLAP_MS = 5 * 60_000;
const RECEIPT_LOOKBACK_MS = 2 * 86_400_000;
const LOCK_KEY = 2_022_001;

export interface RefreshResult {
  skipped: boolean;
  full: boolean;
  pairs: number;
}

/** Refreshes the per-day figures; one node at a time (a node that finds the lock taken skips). */
export async function refreshPublicStats(
  app: AppContext,
  opts: { full?: boolean } = {},
): Promise<RefreshResult> {
  return app.db.transaction().execute(async (tx) => {
    const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`.execute(
      tx,
    );
    if (!locked.rows[0]?.ok) {
      return { skipped: true, full: false, pairs: 0 };
    }
    const now = app.clock();
    const mark = await tx.selectFrom('public_stats_watermark').select('refreshed_until').executeTakeFirst();
    const full = opts.full === true || !mark;
    let pairs: number;
    if (full) {
      await tx.deleteFrom('public_stats_day').execute();
      pairs = await recompute(app, tx, 'all');
    } else {
      const touched = await touchedPairs(
        tx,
        new Date(new Date(mark.refreshed_until).getTime() - OVERLAP_MS),
        now,
      );
      await recompute(app, tx, touched);
      pairs = touched.length;
    }
    await tx
      .insertInto('public_stats_watermark')
      .values({ id: true, refreshed_until: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ refreshed_until: now }))
      .execute();
    return { skipped: false, full, pairs };
  });
}

/** What the end-day figures read of a dossier (ON_TIME's columns among them), so no second read of the row. */
const ENDED_COLUMNS =
  'd.id, d.received_at, d.finished_at, d.due_date, d.original_due_date, d.supplement_count';

const vnDay = (column: string) => sql.raw(`(${column} at time zone 'Asia/Ho_Chi_Minh')::date`);

async function touchedPairs(tx: Queryable, since: Date, now: Date) {
  const r = await sql<{ day: string; agency_id: number }>`
    with changed as (
      select received_at, finished_at, agency_id from dossier where updated_at > ${since}
    )
    select ${vnDay('received_at')} as day, agency_id from changed
    union
    select ${vnDay('finished_at')}, agency_id from changed where finished_at is not null
    union
    select ${vnDay('d.finished_at')}, d.agency_id
      from rating r join dossier d on d.id = r.dossier_id
      where r.rated_at > ${since} and d.finished_at is not null
    union
    select ${vnDay('d.received_at')}, d.agency_id
      from notification n join dossier d on d.id = n.dossier_id
      where n.created_at > ${new Date(now.getTime() - RECEIPT_LOOKBACK_MS)}
        and n.channel in ('zalo_phone', 'zalo_uid')`.execute(tx);
  return r.rows;
}

/** Working-day ordinals (the calendar's own rule) over [from, to]: processing time is a difference of two. */
async function workingDayOrdinals(app: AppContext, from: string, to: string) {
  const calendar = await loadCalendar(app);
  const days: string[] = [];
  const ordinals: number[] = [];
  let n = 0;
  for (let d = toDayNumber(from); d <= toDayNumber(to); d++) {
    const day = fromDayNumber(d);
    if (calendar.isWorkingDay(day)) {
      n++;
    }
    days.push(day);
    ordinals.push(n);
  }
  return { days, ordinals };
}

/**
 * Rebuilds the rows of the given (day, agency) pairs from the dossiers (a pair with nothing left is removed),
 * or of every pair ('all', the first refresh: one pass over the dossiers grouped by day and agency). Returns
 * how many pairs it wrote.
 */
async function recompute(
  app: AppContext,
  tx: Queryable,
  pairs: { day: string; agency_id: number }[] | 'all',
): Promise<number> {
  if (pairs !== 'all' && pairs.length === 0) {
    return 0;
  }
  const days = pairs === 'all' ? [] : pairs.map((p) => p.day);
  const agencies = pairs === 'all' ? [] : pairs.map((p) => p.agency_id);
  if (pairs !== 'all') {
    await sql`
      delete from public_stats_day s using unnest(${days}::date[], ${agencies}::int[]) as p (day, agency_id)
      where s.day = p.day and s.agency_id = p.agency_id`.execute(tx);
  }
  // The dossiers of the pairs: by reception day (received, reached on Zalo) and by end day (the rest). Per pair
  // (LATERAL, kept apart by "offset 0") and by index: joined as a whole, the planner cannot know how few dossiers one day of one agency
  // holds and hashed every dossier instead (measured: 10 s per refresh at 1 000 000 dossiers).
  const received =
    pairs === 'all'
      ? sql`select ${vnDay('d.received_at')} as day, d.agency_id, d.id from dossier d`
      : sql`select p.day, p.agency_id, d.id from pairs p cross join lateral (
          select d.id from dossier d where d.agency_id = p.agency_id
            and d.received_at >= (p.day::timestamp at time zone 'Asia/Ho_Chi_Minh')
            and d.received_at < ((p.day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') offset 0) d`;
  const ended =
    pairs === 'all'
      ? sql`select ${vnDay('d.finished_at')} as day, d.agency_id, ${sql.raw(ENDED_COLUMNS)}
          from dossier d where d.finished_at is not null`
      : sql`select p.day, p.agency_id, d.* from pairs p cross join lateral (
          select ${sql.raw(ENDED_COLUMNS)} from dossier d where d.agency_id = p.agency_id
            -- "is not null" spelled out: only then may the planner use the partial (agency, end) index.
            and d.finished_at is not null
            and d.finished_at >= (p.day::timestamp at time zone 'Asia/Ho_Chi_Minh')
            and d.finished_at < ((p.day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') offset 0) d`;
  // Processing time needs the working-day ordinals from the earliest reception (of the dossiers that ended on
  // these days) to the latest end.
  const span = await sql<{ first: string | null; last: string | null }>`
    with pairs as (select distinct * from unnest(${days}::date[], ${agencies}::int[]) as p (day, agency_id))
    select min(${vnDay('d.received_at')})::text as first, max(${vnDay('d.finished_at')})::text as last
    from (${ended}) d`.execute(tx);
  const today = vnDateOf(app.clock());
  const first = [span.rows[0]?.first ?? today, today].sort()[0]!;
  const last = addDays([span.rows[0]?.last ?? today, today].sort()[1]!, 1);
  const wd = await workingDayOrdinals(app, first, last);
  const written = await sql`
    with pairs as (
      select distinct * from unnest(${days}::date[], ${agencies}::int[]) as p (day, agency_id)
    ), wd as (
      select * from unnest(${wd.days}::date[], ${wd.ordinals}::int[]) as w (day, n)
    ), rec as (
      select x.day, x.agency_id, count(*)::int as received,
        count(*) filter (where exists (
          select 1 from notification n
          where n.dossier_id = x.id and n.channel in ('zalo_phone', 'zalo_uid') and n.delivered_at is not null
        ))::int as zalo_reached
      from (${received}) x
      group by x.day, x.agency_id
    ), fin as (
      select d.day, d.agency_id, count(*)::int as resolved,
        count(*) filter (where ${ON_TIME})::int as on_time,
        coalesce(sum(wf.n - wr.n), 0)::bigint as processing_working_days,
        count(r.dossier_id)::int as ratings, coalesce(sum(r.stars), 0)::int as stars_sum,
        count(*) filter (where r.stars = 1)::int as stars_1, count(*) filter (where r.stars = 2)::int as stars_2,
        count(*) filter (where r.stars = 3)::int as stars_3, count(*) filter (where r.stars = 4)::int as stars_4,
        count(*) filter (where r.stars = 5)::int as stars_5
      from (${ended}) d
      left join rating r on r.dossier_id = d.id
      left join wd wr on wr.day = ${vnDay('d.received_at')}
      left join wd wf on wf.day = ${vnDay('d.finished_at')}
      group by d.day, d.agency_id
    )
    insert into public_stats_day (day, agency_id, received, zalo_reached, resolved, on_time,
      processing_working_days, ratings, stars_sum, stars_1, stars_2, stars_3, stars_4, stars_5)
    select coalesce(rec.day, fin.day), coalesce(rec.agency_id, fin.agency_id), coalesce(rec.received, 0),
      coalesce(rec.zalo_reached, 0), coalesce(fin.resolved, 0), coalesce(fin.on_time, 0),
      coalesce(fin.processing_working_days, 0), coalesce(fin.ratings, 0), coalesce(fin.stars_sum, 0),
      coalesce(fin.stars_1, 0), coalesce(fin.stars_2, 0), coalesce(fin.stars_3, 0), coalesce(fin.stars_4, 0),
      coalesce(fin.stars_5, 0)
    from rec full join fin on fin.day = rec.day and fin.agency_id = rec.agency_id`.execute(tx);
  return Number(written.numAffectedRows ?? 0);
}

/** Refreshed every REFRESH_MS by the scheduler (src/app-background.ts): the scoreboard is at most that late. */
export const REFRESH_MS = 60_000;
