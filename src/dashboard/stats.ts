import { sql } from 'kysely';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { addDays, loadCalendar, vnDateOf, vnInstant } from '../calendar/index.ts';
import { STATUSES, type StatusCode } from '../contracts/statuses.ts';
import { CLOCK_RUNNING } from '../dossiers/index.ts';

/** How many working days ahead counts as "due soon" on the dashboard. */
export const DUE_SOON_WORKING_DAYS = 2;

/**
 * QĐ 766's on-time rule over a finished dossier aliased `d`: ended by the original due date (an apology moves
 * the appointment, not the rule) with at most one supplement request. The public scoreboard uses it too.
 */
export const ON_TIME = sql<boolean>`((d.finished_at at time zone 'Asia/Ho_Chi_Minh')::date <= coalesce(d.original_due_date, d.due_date) and d.supplement_count <= 1)`;

/**
 * Tổng quan: the agency's counts by status, today's intake, due soon and overdue (only dossiers whose clock
 * runs: one waiting for the citizen is neither), on-time rates (QĐ 766: ended by the due date with at most one
 * supplement request) per procedure and per month over the last 12 months, and the share of dossiers opted
 * into Zalo. An apology moves the citizen's appointment, not the statistics: on time is judged against the
 * original due date, and the late dossiers that had an apology are counted again as "trễ hạn, đã xin lỗi".
 */
export async function dashboardStats(app: AppContext, actor: Actor) {
  const today = vnDateOf(app.clock());
  const calendar = await loadCalendar(app);
  const dueSoonUntil = calendar.addWorkingDays(today, DUE_SOON_WORKING_DAYS);
  const since = vnInstant(`${addDays(today, -365).slice(0, 7)}-01`);
  const agency = actor.agencyId;
  const onTime = ON_TIME;
  const lateApologised = sql<boolean>`(not ${onTime} and d.apology_count > 0)`;

  const [byStatus, totals, byProcedure, byMonth] = await Promise.all([
    app.db
      .selectFrom('dossier as d')
      .select(['d.status', sql<number>`count(*)::int`.as('n')])
      .where('d.agency_id', '=', agency)
      .groupBy('d.status')
      .execute(),
    app.db
      .selectFrom('dossier as d')
      .select([
        sql<number>`count(*) filter (where d.received_at >= ${vnInstant(today)})::int`.as('receivedToday'),
        sql<number>`count(*) filter (where d.finished_at is null)::int`.as('open'),
        sql<number>`count(*) filter (where ${CLOCK_RUNNING} and d.due_date < ${today})::int`.as('overdue'),
        sql<number>`count(*) filter (where ${CLOCK_RUNNING} and d.due_date between ${today} and ${dueSoonUntil})::int`.as(
          'dueSoon',
        ),
        sql<number>`count(*) filter (where d.finished_at is null and d.clock_paused_at is not null)::int`.as(
          'paused',
        ),
        sql<number>`count(*) filter (where d.received_at >= ${since})::int`.as('receivedYear'),
        sql<number>`count(*) filter (where d.received_at >= ${since} and d.notify_by_zalo)::int`.as(
          'zaloYear',
        ),
      ])
      .where('d.agency_id', '=', agency)
      .executeTakeFirstOrThrow(),
    app.db
      .selectFrom('dossier as d')
      .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
      .select([
        'p.code',
        'p.name',
        sql<number>`count(*)::int`.as('finished'),
        sql<number>`count(*) filter (where ${onTime})::int`.as('onTime'),
        sql<number>`count(*) filter (where ${lateApologised})::int`.as('lateApologised'),
      ])
      .where('d.agency_id', '=', agency)
      .where('d.finished_at', '>=', since)
      .groupBy(['p.code', 'p.name'])
      .orderBy(sql`count(*)`, 'desc')
      .execute(),
    app.db
      .selectFrom('dossier as d')
      .select([
        sql<string>`to_char(d.finished_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM')`.as('month'),
        sql<number>`count(*)::int`.as('finished'),
        sql<number>`count(*) filter (where ${onTime})::int`.as('onTime'),
        sql<number>`count(*) filter (where ${lateApologised})::int`.as('lateApologised'),
      ])
      .where('d.agency_id', '=', agency)
      .where('d.finished_at', '>=', since)
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute(),
  ]);
  const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  return {
    today,
    dueSoonWorkingDays: DUE_SOON_WORKING_DAYS,
    byStatus: (Object.keys(STATUSES) as unknown as StatusCode[]).map((code) => ({
      status: Number(code),
      label: STATUSES[code].label,
      count: byStatus.find((s) => s.status === Number(code))?.n ?? 0,
    })),
    receivedToday: totals.receivedToday,
    open: totals.open,
    overdue: totals.overdue,
    dueSoon: totals.dueSoon,
    paused: totals.paused,
    zaloOptInRate: rate(totals.zaloYear, totals.receivedYear),
    onTimeByProcedure: byProcedure.map((p) => ({ ...p, rate: rate(p.onTime, p.finished) })),
    onTimeByMonth: byMonth.map((m) => ({ ...m, rate: rate(m.onTime, m.finished) })),
  };
}
