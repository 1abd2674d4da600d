import { type IsoDate, vnDateOf, vnTimeOf } from './dates.ts';
import type { WorkingCalendar } from './working-days.ts';

/**
 * The day a dossier counts as received for deadlines: the reception date, or the next working day when it
 * was received on a day off or at/after the procedure's afternoon cut-off (e.g. 15:00, NĐ 61 Art. 18,
 * NĐ 23/2015 Art. 7). A dossier received on a day off is treated like one received after hours.
 */
export function effectiveReceptionDay(
  calendar: WorkingCalendar,
  receivedAt: Date,
  cutoffTime: string | null,
): IsoDate {
  const day = vnDateOf(receivedAt);
  const afterCutoff = cutoffTime !== null && vnTimeOf(receivedAt) >= normaliseTime(cutoffTime);
  if (!calendar.isWorkingDay(day) || afterCutoff) {
    return calendar.nextWorkingDay(day);
  }
  return day;
}

/**
 * Ngày hẹn trả: the `processingDays`-th working day after the effective reception day (Bộ luật Dân sự 2015
 * Art. 147: a period starts the day after the triggering day). Same-day procedures (0 days) are due on the
 * effective reception day itself.
 */
export function computeDueDate(
  calendar: WorkingCalendar,
  receivedAt: Date,
  processingDays: number,
  cutoffTime: string | null,
): IsoDate {
  return calendar.addWorkingDays(effectiveReceptionDay(calendar, receivedAt, cutoffTime), processingDays);
}

/**
 * Due date after a pause (waiting for the citizen) under the 'extend' rule: the old due date moved on by
 * the working days the dossier waited.
 */
export function extendDueDate(
  calendar: WorkingCalendar,
  dueDate: IsoDate,
  pausedAt: Date,
  resumedAt: Date,
): IsoDate {
  const waited = Math.max(0, calendar.workingDaysBetween(vnDateOf(pausedAt), vnDateOf(resumedAt)));
  return calendar.addWorkingDays(dueDate, waited);
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
