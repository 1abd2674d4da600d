import type { WorkingCalendar } from '../calendar/index.ts';
import {
  computeDeadline,
  type DeadlineUnit,
  daysWaited,
  dueDateFrom,
  extendDueDate,
  vnDateOf,
} from '../calendar/index.ts';
import type { StatusCode } from '../contracts/statuses.ts';
import { invalid } from '../errors.ts';
import type { TransitionAction } from './lifecycle.ts';

/** The part of a dossier a transition reads and changes. */
export interface ClockState {
  status: StatusCode;
  dueDate: string;
  originalDueDate: string | null;
  clockStartedAt: Date;
  clockPausedAt: Date | null;
  supplementCount: number;
  apologyCount: number;
  finishedAt: Date | null;
  returnedAt: Date | null;
  statusData: Record<string, unknown>;
  /** Where the count of the due date started and how long it is (extensions included); null on old rows. */
  deadline: { start: string; unit: DeadlineUnit; days: number } | null;
}

export interface ProcedureClock {
  processingDays: number;
  unit: DeadlineUnit;
  cutoffTime: string | null;
  supplementRule: 'restart' | 'extend';
}

/** How supplements reach the desk: online ones after office hours count from the next working day. */
export interface ReceptionContext {
  online: boolean;
  officeClosesAt: string;
}

/**
 * What a transition does to the dossier's clock and dates — pure, so each rule is easy to test:
 * - waiting for the citizen (supplement, financial obligation) pauses the clock;
 * - a supplement received restarts the count in full (the default: NĐ 61/2018 Art. 19(4), carried on under
 *   NĐ 118/2025, see docs/lifecycle-and-deadlines.md) or, for procedures configured
 *   'extend', moves the due date by the working days waited; a payment always extends (time spent paying
 *   is not processing time);
 * - an apology sets the new due date, once, keeping the original;
 * - done, refused and stopped end processing (finished_at decides on-time); returned records the hand-over.
 */
export function applyTransition(
  state: ClockState,
  action: TransitionAction,
  to: StatusCode,
  fields: Record<string, unknown>,
  ctx: { now: Date; calendar: WorkingCalendar; procedure: ProcedureClock; reception: ReceptionContext },
): { next: ClockState; journalData: Record<string, unknown> } {
  const { now, calendar, procedure } = ctx;
  // Time spent waiting for the citizen moves the due date on by the days waited.
  const extend = (): Pick<ClockState, 'dueDate' | 'deadline'> => {
    const pausedAt = state.clockPausedAt ?? now;
    if (!state.deadline) {
      return { dueDate: extendDueDate(calendar, state.dueDate, pausedAt, now), deadline: null };
    }
    const { start, unit, days } = state.deadline;
    const longer = days + daysWaited(calendar, unit, pausedAt, now);
    return { dueDate: dueDateFrom(calendar, start, longer, unit), deadline: { start, unit, days: longer } };
  };
  const next: ClockState = { ...state, status: to };
  const journalData: Record<string, unknown> = { ...fields };

  switch (action) {
    case 'request_supplement':
      next.clockPausedAt = now;
      next.supplementCount = state.supplementCount + 1;
      next.statusData = fields;
      break;
    case 'request_payment':
      next.clockPausedAt = now;
      next.statusData = fields;
      break;
    case 'receive_supplement':
      if (procedure.supplementRule === 'restart') {
        const { start, dueDate } = computeDeadline(
          calendar,
          { receivedAt: now, ...ctx.reception },
          { days: procedure.processingDays, unit: procedure.unit, cutoffTime: procedure.cutoffTime },
        );
        next.dueDate = dueDate;
        next.deadline = { start, unit: procedure.unit, days: procedure.processingDays };
        next.clockStartedAt = now;
      } else {
        Object.assign(next, extend());
      }
      next.clockPausedAt = null;
      next.statusData = {};
      break;
    case 'confirm_payment':
      Object.assign(next, extend());
      next.clockPausedAt = null;
      next.statusData = {};
      break;
    case 'apologise': {
      const newDueDate = String(fields.newDueDate);
      if (newDueDate <= state.dueDate) {
        throw invalid(
          'newDueDate',
          `newDueDate must be after the current due date ${state.dueDate}`,
          'Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.',
        );
      }
      if (!calendar.isWorkingDay(newDueDate)) {
        throw invalid(
          'newDueDate',
          'newDueDate must be a working day',
          'Ngày hẹn trả mới phải là ngày làm việc.',
        );
      }
      next.originalDueDate = state.originalDueDate ?? state.dueDate;
      next.dueDate = newDueDate;
      next.apologyCount = state.apologyCount + 1;
      next.statusData = { ...state.statusData, apology: fields };
      break;
    }
    case 'refuse':
    case 'stop':
    case 'complete':
      next.finishedAt = state.finishedAt ?? now;
      next.clockPausedAt = null;
      next.statusData = fields;
      break;
    case 'return_result':
      next.returnedAt = now;
      next.finishedAt = state.finishedAt ?? now;
      next.statusData = fields;
      break;
    case 'request_withdrawal':
      next.statusData = fields;
      break;
    case 'start_processing':
      next.statusData = {};
      break;
  }
  if (next.dueDate !== state.dueDate) {
    journalData.previousDueDate = state.dueDate;
    journalData.dueDate = next.dueDate;
  }
  return { next, journalData };
}

/**
 * On time (QĐ 766 index): processing ended on or before the due date and there was at most one supplement
 * request. The due date is the original one: an apology gives the citizen a new appointment, but a dossier
 * finished after the date first promised still counts as late. Undefined while processing goes on.
 */
export function finishedOnTime(
  state: Pick<ClockState, 'finishedAt' | 'dueDate' | 'originalDueDate' | 'supplementCount'>,
): boolean | undefined {
  if (!state.finishedAt) {
    return undefined;
  }
  return vnDateOf(state.finishedAt) <= (state.originalDueDate ?? state.dueDate) && state.supplementCount <= 1;
}
