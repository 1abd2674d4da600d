import { addDays, type IsoDate, vnDateOf, vnTimeOf } from './dates.ts';
import type { WorkingCalendar } from './working-days.ts';

/** How a procedure states its limit: "03 ngày làm việc" or "không quá 10 ngày" (calendar days). */
export type DeadlineUnit = 'working_days' | 'calendar_days';

/** A procedure's legal time limit as the deadline rules need it. */
export interface DeadlineRule {
  /** The limit; 0 = resolved on the day of receipt. */
  days: number;
  unit: DeadlineUnit;
  /**
   * Afternoon cut-off of same-day matters (e.g. 15:00, Luật Hộ tịch 2014 Art. 5(3), NĐ 23/2015 Art. 7):
   * received at or after it and not resolved at once → the next working day. Null: none.
   */
  cutoffTime: string | null;
}

/** When and how the dossier arrived. */
export interface Reception {
  receivedAt: Date;
  /** Filed online: outside office hours it is received when the desk next works. */
  online: boolean;
  /** End of office hours, 'HH:MM'. */
  officeClosesAt: string;
}

/**
 * The day a dossier counts as received: the reception date, or the next working day when it arrived on a
 * day off, was filed online after office hours (an online dossier at 22:00 is received the next working
 * morning), or arrived at/after the procedure's cut-off.
 */
export function receptionDay(calendar: WorkingCalendar, r: Reception, cutoffTime: string | null): IsoDate {
  const day = vnDateOf(r.receivedAt);
  const time = vnTimeOf(r.receivedAt);
  const afterHours = r.online && time >= normaliseTime(r.officeClosesAt);
  const afterCutoff = cutoffTime !== null && time >= normaliseTime(cutoffTime);
  if (!calendar.isWorkingDay(day) || afterHours || afterCutoff) {
    return calendar.nextWorkingDay(day);
  }
  return day;
}

/**
 * Ngày hẹn trả counted from the reception day. The day of reception is never counted (Bộ luật Dân sự 2015
 * Art. 147): N working days = the N-th working day after it; N calendar days = the N-th day after it, moved
 * to the next working day when that is a day off (Art. 148). 0 = the reception day itself.
 */
export function dueDateFrom(
  calendar: WorkingCalendar,
  start: IsoDate,
  days: number,
  unit: DeadlineUnit,
): IsoDate {
  if (unit === 'working_days' || days === 0) {
    return calendar.addWorkingDays(start, days);
  }
  return calendar.addWorkingDays(addDays(start, days), 0);
}

/** The reception day and the due date of a dossier received now under `rule`. */
export function computeDeadline(
  calendar: WorkingCalendar,
  r: Reception,
  rule: DeadlineRule,
): { start: IsoDate; dueDate: IsoDate } {
  const start = receptionDay(calendar, r, rule.cutoffTime);
  return { start, dueDate: dueDateFrom(calendar, start, rule.days, rule.unit) };
}

/**
 * Days the dossier waited for the citizen, in the rule's unit: working days after the day it paused up to
 * and including the day it resumed (calendar days for calendar-day limits).
 */
export function daysWaited(
  calendar: WorkingCalendar,
  unit: DeadlineUnit,
  pausedAt: Date,
  resumedAt: Date,
): number {
  const [from, to] = [vnDateOf(pausedAt), vnDateOf(resumedAt)];
  const waited =
    unit === 'working_days'
      ? calendar.workingDaysBetween(from, to)
      : Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return Math.max(0, waited);
}

/**
 * Due date after a pause under the 'extend' rule, for a dossier recorded before the deadline's start and
 * length were kept (older rows): the old due date moved on by the working days the dossier waited.
 */
export function extendDueDate(
  calendar: WorkingCalendar,
  dueDate: IsoDate,
  pausedAt: Date,
  resumedAt: Date,
): IsoDate {
  return calendar.addWorkingDays(dueDate, daysWaited(calendar, 'working_days', pausedAt, resumedAt));
}

export interface DeadlineProgress {
  /** Past the end of the due date (Bộ luật Dân sự Art. 148: a period ends at 24:00 of its last day). */
  overdue: boolean;
  /** Working days after today up to and including the due date (0 when due today or overdue). */
  workingDaysLeft: number;
  /** Working days after the due date up to and including today (0 unless overdue). */
  overdueWorkingDays: number;
}

/** Where an open dossier stands against its due date on `today`. */
export function deadlineProgress(
  calendar: WorkingCalendar,
  today: IsoDate,
  dueDate: IsoDate,
): DeadlineProgress {
  if (today > dueDate) {
    return {
      overdue: true,
      workingDaysLeft: 0,
      overdueWorkingDays: calendar.workingDaysBetween(dueDate, today),
    };
  }
  return {
    overdue: false,
    workingDaysLeft: calendar.workingDaysBetween(today, dueDate),
    overdueWorkingDays: 0,
  };
}

function normaliseTime(t: string): string {
  return t.length === 5 ? `${t}:00` : t;
}
