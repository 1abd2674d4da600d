import { type IsoDate, vnDateOf } from './dates.ts';
import { type DeadlineUnit, dueDateFrom } from './deadline.ts';
import type { WorkingCalendar } from './working-days.ts';

/**
 * Whether an appointment date rests on decided schedules. A date counted across a year nobody confirmed
 * (its lunar holidays are a proposal) may move when the year's decision comes: the desk tells the citizen.
 */
export interface AppointmentBasis {
  appointmentDateBasis: 'confirmed' | 'proposed';
  /** The years between reception and the appointment whose schedule is only proposed. */
  appointmentProposedYears: number[];
}

export function appointmentBasis(
  calendar: WorkingCalendar,
  countedFrom: IsoDate,
  appointment: IsoDate,
): AppointmentBasis {
  const years = calendar.proposedYearsBetween(countedFrom, appointment);
  return {
    appointmentDateBasis: years.length > 0 ? 'proposed' : 'confirmed',
    appointmentProposedYears: years,
  };
}

/** The part of a dossier that decides its appointment date. */
export interface AppointmentFacts {
  due_date: string;
  received_at: Date | string;
  deadline_start: string | null;
  deadline_unit: DeadlineUnit | null;
  deadline_days: number | null;
  apology_count: number;
}

/**
 * The appointment the current calendar would give the dossier, or null when it is the printed one. Printed
 * dates are never changed (the receipt is a promise): this only tells the desk whom to contact after a year
 * was confirmed or edited. The count is redone from where it started with the same length (extensions
 * included); a date set by an apology, or a dossier from before the count was kept, is flagged only when
 * its date has become a day off.
 */
export function recomputedAppointment(calendar: WorkingCalendar, d: AppointmentFacts): IsoDate | null {
  const now =
    d.apology_count === 0 && d.deadline_start && d.deadline_unit && d.deadline_days !== null
      ? dueDateFrom(calendar, d.deadline_start, d.deadline_days, d.deadline_unit)
      : calendar.addWorkingDays(d.due_date, 0);
  return now === d.due_date ? null : now;
}

/** The day the count of a dossier's appointment started (its reception day, or its reception date). */
export function countedFrom(d: Pick<AppointmentFacts, 'deadline_start' | 'received_at'>): IsoDate {
  return d.deadline_start ?? vnDateOf(new Date(d.received_at));
}
