import { sql } from 'kysely';
import { type Actor, requireRole, userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { displayStoredPhone } from '../contracts/phone.ts';
import { cleanText } from '../contracts/text.ts';
import type { Queryable } from '../db/pool.ts';
import { Conflict, invalid } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';
import { countedFrom, recomputedAppointment } from './appointment-basis.ts';
import { toDayNumber, weekdayOf } from './dates.ts';
import { invalidateCalendar, loadCalendar } from './repo.ts';
import { WorkingCalendar } from './working-days.ts';

/** A year's schedule: confirmed from the government's decision, or the product's proposal. */
export async function yearStatus(app: AppContext, year: number) {
  const row = await app.db
    .selectFrom('calendar_year as y')
    .leftJoin('app_user as u', 'u.id', 'y.confirmed_by')
    .select(['y.decision', 'y.confirmed_at', 'u.full_name'])
    .where('y.year', '=', year)
    .executeTakeFirst();
  return {
    year,
    status: row ? ('confirmed' as const) : ('proposed' as const),
    decision: row?.decision ?? null,
    confirmedAt: row ? new Date(row.confirmed_at).toISOString() : null,
    confirmedBy: row ? (row.full_name ?? 'Hệ thống (lịch chính thức kèm phần mềm)') : null,
  };
}

/**
 * An administrator confirms a year after entering the Prime Minister's decision (swap days included): the
 * year's days off as they stand now (proposal plus the administrator's changes) become its data, and new
 * intakes stop warning about it. Audited. Printed appointments never change; the answer lists the open
 * dossiers whose date the confirmed calendar would give differently, for the desk to contact.
 */
export async function confirmYear(app: AppContext, actor: Actor, year: number, input: { decision: string }) {
  requireRole(actor, ['admin'], 'confirm a calendar year');
  const decision = cleanText(input.decision);
  if (!decision || decision.length > 300) {
    throw invalid(
      'decision',
      'decision must be 1–300 characters: the number and date of the decision the schedule comes from',
      'Vui lòng nhập căn cứ: số, ngày của quyết định hoặc thông báo lịch nghỉ (tối đa 300 ký tự).',
    );
  }
  await app.db.transaction().execute(async (tx) => {
    // One confirmation at a time: the year's row is the lock.
    const inserted = await tx
      .insertInto('calendar_year')
      .values({
        year,
        decision,
        confirmed_by: userIdOf(actor),
        confirmed_at: app.clock(),
      })
      .onConflict((oc) => oc.column('year').doNothing())
      .returning('year')
      .executeTakeFirst();
    if (!inserted) {
      throw Conflict(
        'calendar_year_confirmed',
        `The schedule of ${year} is already confirmed; edit its days instead`,
        `Lịch năm ${year} đã được xác nhận. Để điều chỉnh, hãy sửa từng ngày.`,
      );
    }
    const proposal = await calendarOf(tx, { exceptYear: year });
    const materialised: { day: string; reason: string }[] = [];
    for (const d of proposal.year(year)) {
      const w = weekdayOf(toDayNumber(d.date));
      if (d.source === 'statutory' && w !== 0 && w !== 6) {
        materialised.push({ day: d.date, reason: d.reason });
      }
    }
    if (materialised.length > 0) {
      await tx
        .insertInto('calendar_day')
        .values(
          materialised.map((m) => ({
            day: m.day,
            kind: 'day_off' as const,
            reason: m.reason,
            created_by: userIdOf(actor),
          })),
        )
        .execute();
    }
    const exceptions = proposal
      .year(year)
      .filter((d) => d.source === 'exception')
      .map((d) => ({ day: d.date, working: d.working, reason: d.reason }));
    await recordAudit(
      tx,
      actor,
      'calendar.confirm_year',
      { type: 'calendar_year', id: year },
      { decision, daysOff: materialised, exceptions },
    );
  });
  invalidateCalendar(app);
  return {
    ...(await yearStatus(app, year)),
    changedAppointments: await changedAppointments(app, actor, year),
  };
}

/** The calendar from the rows in `db` (not the cache), treating `exceptYear` as not confirmed. */
async function calendarOf(db: Queryable, o: { exceptYear: number }) {
  const [rows, years] = await Promise.all([
    db.selectFrom('calendar_day').select(['day', 'kind', 'reason']).execute(),
    db.selectFrom('calendar_year').select('year').where('year', '!=', o.exceptYear).execute(),
  ]);
  return new WorkingCalendar(
    rows,
    years.map((y) => y.year),
  );
}

/** At most this many dossiers are listed; the counts cover all. */
const LISTED = 200;

/**
 * Open dossiers whose printed appointment differs from what the current calendar gives: the actor's
 * agency's in detail, every agency's as counts (a calendar change concerns the whole province). With a
 * year, only dossiers whose count runs through it.
 */
export async function changedAppointments(app: AppContext, actor: Actor, year?: number) {
  const calendar = await loadCalendar(app);
  let q = app.db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .select([
      'd.agency_id',
      'a.code as agency_code',
      'a.name as agency_name',
      'd.code',
      'd.applicant_name',
      'd.phone',
      'p.name as procedure_name',
      'd.received_at',
      'd.due_date',
      'd.deadline_start',
      'd.deadline_unit',
      'd.deadline_days',
      'd.apology_count',
    ])
    .where('d.finished_at', 'is', null);
  if (year !== undefined) {
    q = q
      .where('d.due_date', '>=', `${year}-01-01`)
      .where(
        sql<boolean>`coalesce(d.deadline_start, (d.received_at at time zone 'Asia/Ho_Chi_Minh')::date) <= ${`${year}-12-31`}::date`,
      );
  }
  const rows = await q.orderBy('d.due_date').orderBy('d.id').execute();
  const byAgency = new Map<number, { agencyCode: string; agencyName: string; count: number }>();
  const items = [];
  for (const d of rows) {
    const recomputed = recomputedAppointment(calendar, d);
    if (recomputed === null) {
      continue;
    }
    const entry = byAgency.get(d.agency_id) ?? {
      agencyCode: d.agency_code,
      agencyName: d.agency_name,
      count: 0,
    };
    entry.count++;
    byAgency.set(d.agency_id, entry);
    if (d.agency_id === actor.agencyId && items.length < LISTED) {
      items.push({
        code: d.code,
        applicantName: d.applicant_name,
        phoneDisplay: displayStoredPhone(d.phone),
        procedureName: d.procedure_name,
        countedFrom: countedFrom(d),
        appointmentDate: d.due_date,
        recomputedAppointmentDate: recomputed,
      });
    }
  }
  return {
    total: [...byAgency.values()].reduce((n, a) => n + a.count, 0),
    ownAgency: byAgency.get(actor.agencyId)?.count ?? 0,
    byAgency: [...byAgency.values()],
    items,
  };
}
