import { type Actor, requireRole, userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { cleanText } from '../contracts/text.ts';
import { invalid, NotFound } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';
import { toDayNumber } from './dates.ts';
import { lunarLabel } from './holidays.ts';
import { invalidateCalendar, loadCalendar } from './repo.ts';
import { changedAppointments } from './years.ts';

/** Every day of a year with why it is (not) a working day and its lunar date. */
export async function calendarYear(app: AppContext, year: number) {
  const calendar = await loadCalendar(app);
  return calendar.year(year).map((d) => ({ ...d, lunar: lunarLabel(toDayNumber(d.date)) }));
}

/**
 * Adds or replaces an administrator exception: an extra day off or a working Saturday (in a confirmed year,
 * an amendment of its schedule). Due dates already given are not recomputed (the receipt the citizen holds
 * stays true); new intakes use the new calendar, and the answer lists the open dossiers whose date would now
 * differ, for the desk to contact.
 */
export async function setException(
  app: AppContext,
  actor: Actor,
  input: { day: string; kind: 'day_off' | 'working_day'; reason: string },
) {
  requireRole(actor, ['admin'], 'edit the calendar');
  const reason = cleanText(input.reason);
  if (!reason || reason.length > 200) {
    throw invalid('reason', 'reason must be 1–200 characters', 'Vui lòng nhập lý do (tối đa 200 ký tự).');
  }
  await app.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('calendar_day')
      .values({
        day: input.day,
        kind: input.kind,
        reason,
        created_by: userIdOf(actor),
      })
      .onConflict((oc) => oc.column('day').doUpdateSet({ kind: input.kind, reason }))
      .execute();
    await recordAudit(
      tx,
      actor,
      'calendar.set',
      { type: 'calendar_day', id: input.day },
      { kind: input.kind, reason },
    );
  });
  invalidateCalendar(app);
  const calendar = await loadCalendar(app);
  return {
    ...calendar.info(input.day),
    lunar: lunarLabel(toDayNumber(input.day)),
    changedAppointments: await changedAppointments(app, actor, Number(input.day.slice(0, 4))),
  };
}

export async function removeException(app: AppContext, actor: Actor, day: string): Promise<void> {
  requireRole(actor, ['admin'], 'edit the calendar');
  await app.db.transaction().execute(async (tx) => {
    const deleted = await tx.deleteFrom('calendar_day').where('day', '=', day).executeTakeFirst();
    if (deleted.numDeletedRows === 0n) {
      throw NotFound('calendar_exception', day, 'Ngày này không có điều chỉnh nào.');
    }
    await recordAudit(tx, actor, 'calendar.remove', { type: 'calendar_day', id: day });
  });
  invalidateCalendar(app);
}
