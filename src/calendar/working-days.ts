import { fromDayNumber, type IsoDate, toDayNumber, weekdayOf } from './dates.ts';
import { statutoryDaysOff } from './holidays.ts';

/** An administrator's exception to the computed calendar. */
export interface CalendarException {
  day: IsoDate;
  kind: 'day_off' | 'working_day';
  reason: string;
}

export interface DayInfo {
  date: IsoDate;
  working: boolean;
  /** Why the day is off (holiday name) or why a weekend day is worked; empty for ordinary days. */
  reason: string;
  source: 'weekday' | 'weekend' | 'statutory' | 'exception';
}

/**
 * The working-day calendar: Monday–Friday, minus statutory holidays, with administrator exceptions
 * (extra days off, working Saturdays) taking precedence. Pure: build it from the exceptions of the period.
 */
export class WorkingCalendar {
  private readonly exceptions: Map<number, CalendarException>;

  constructor(exceptions: Iterable<CalendarException> = []) {
    this.exceptions = new Map();
    for (const e of exceptions) {
      this.exceptions.set(toDayNumber(e.day), e);
    }
  }

  info(date: IsoDate): DayInfo {
    return this.infoOf(toDayNumber(date));
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorking(toDayNumber(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let n = toDayNumber(date) + 1;
    while (!this.isWorking(n)) {
      n++;
    }
    return fromDayNumber(n);
  }

  /**
   * The n-th working day strictly after `date`; for n = 0, `date` itself when it is a working day,
   * otherwise the next working day.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`addWorkingDays needs a whole number of days ≥ 0, got ${n}`);
    }
    let d = toDayNumber(date);
    if (n === 0) {
      while (!this.isWorking(d)) {
        d++;
      }
      return fromDayNumber(d);
    }
    let left = n;
    while (left > 0) {
      d++;
      if (this.isWorking(d)) {
        left--;
      }
    }
    return fromDayNumber(d);
  }

  /**
   * Working days in (from, to]: how many working days must pass after `from` to reach the end of `to`.
   * Negative when `to` is before `from`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const a = toDayNumber(from);
    const b = toDayNumber(to);
    if (b < a) {
      return -this.workingDaysBetween(to, from);
    }
    // Counted by year from running totals: look-ups ask this for dossiers years old, many times a second.
    const ya = yearOf(a);
    const yb = yearOf(b);
    let count = -this.workingThrough(a, ya);
    for (let y = ya; y < yb; y++) {
      const { totals } = this.runningTotals(y);
      count += totals[totals.length - 1]!;
    }
    return count + this.workingThrough(b, yb);
  }

  /** Working days from 1 January of `year` (n's year) through day n. */
  private workingThrough(n: number, year: number): number {
    const { first, totals } = this.runningTotals(year);
    return totals[n - first]!;
  }

  private readonly totalsByYear = new Map<number, { first: number; totals: Int32Array }>();

  /** For each day of `year`, the working days from 1 January through it (computed once per year). */
  private runningTotals(year: number): { first: number; totals: Int32Array } {
    let computed = this.totalsByYear.get(year);
    if (!computed) {
      const first = toDayNumber(`${year}-01-01`);
      const last = toDayNumber(`${year}-12-31`);
      const totals = new Int32Array(last - first + 1);
      let count = 0;
      for (let n = first; n <= last; n++) {
        if (this.isWorking(n)) {
          count++;
        }
        totals[n - first] = count;
      }
      computed = { first, totals };
      this.totalsByYear.set(year, computed);
    }
    return computed;
  }

  /** Every day of a year, for the calendar screen. */
  year(year: number): DayInfo[] {
    const first = toDayNumber(`${year}-01-01`);
    const last = toDayNumber(`${year}-12-31`);
    const days: DayInfo[] = [];
    for (let n = first; n <= last; n++) {
      days.push(this.infoOf(n));
    }
    return days;
  }

  private isWorking(n: number): boolean {
    const exception = this.exceptions.get(n);
    if (exception) {
      return exception.kind === 'working_day';
    }
    const w = weekdayOf(n);
    if (w === 0 || w === 6) {
      return false;
    }
    return !statutoryDaysOff(yearOf(n)).has(n);
  }

  private infoOf(n: number): DayInfo {
    const date = fromDayNumber(n);
    const exception = this.exceptions.get(n);
    if (exception) {
      return {
        date,
        working: exception.kind === 'working_day',
        reason: exception.reason,
        source: 'exception',
      };
    }
    const w = weekdayOf(n);
    if (w === 0 || w === 6) {
      return { date, working: false, reason: '', source: 'weekend' };
    }
    const holiday = statutoryDaysOff(yearOf(n)).get(n);
    if (holiday) {
      return { date, working: false, reason: holiday, source: 'statutory' };
    }
    return { date, working: true, reason: '', source: 'weekday' };
  }
}

function yearOf(n: number): number {
  return new Date(n * 86_400_000).getUTCFullYear();
}
