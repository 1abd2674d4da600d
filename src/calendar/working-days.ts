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
  /**
   * weekday / weekend: an ordinary day. statutory: a holiday the product proposes for a year nobody has
   * confirmed. exception: an administrator's change to a proposed year. official: a day of a confirmed
   * year's schedule (the decision as entered).
   */
  source: 'weekday' | 'weekend' | 'statutory' | 'exception' | 'official';
}

/**
 * The working-day calendar. A confirmed year is data: Monday–Friday, except the days off and working
 * weekend days entered from the government's decision. A year nobody has confirmed is a proposal: the
 * computed holidays (holidays.ts), with the administrator's exceptions taking precedence. Pure: build it
 * from the calendar_day rows and the confirmed years.
 */
export class WorkingCalendar {
  private readonly exceptions: Map<number, CalendarException>;
  private readonly confirmed: ReadonlySet<number>;

  constructor(exceptions: Iterable<CalendarException> = [], confirmedYears: Iterable<number> = []) {
    this.exceptions = new Map();
    for (const e of exceptions) {
      this.exceptions.set(toDayNumber(e.day), e);
    }
    this.confirmed = new Set(confirmedYears);
  }

  /** Whether a year's schedule was confirmed from the government's decision (otherwise it is proposed). */
  isConfirmed(year: number): boolean {
    return this.confirmed.has(year);
  }

  /** The years from `from` to `to` (inclusive) whose schedule is only proposed. */
  proposedYearsBetween(from: IsoDate, to: IsoDate): number[] {
    const years: number[] = [];
    const [a, b] = from <= to ? [from, to] : [to, from];
    for (let y = Number(a.slice(0, 4)); y <= Number(b.slice(0, 4)); y++) {
      if (!this.confirmed.has(y)) {
        years.push(y);
      }
    }
    return years;
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
    const year = yearOf(n);
    return this.confirmed.has(year) || !statutoryDaysOff(year).has(n);
  }

  private infoOf(n: number): DayInfo {
    const date = fromDayNumber(n);
    const year = yearOf(n);
    const exception = this.exceptions.get(n);
    if (exception) {
      return {
        date,
        working: exception.kind === 'working_day',
        reason: exception.reason,
        source: this.confirmed.has(year) ? 'official' : 'exception',
      };
    }
    const w = weekdayOf(n);
    if (w === 0 || w === 6) {
      return { date, working: false, reason: '', source: 'weekend' };
    }
    const holiday = this.confirmed.has(year) ? undefined : statutoryDaysOff(year).get(n);
    if (holiday) {
      return { date, working: false, reason: holiday, source: 'statutory' };
    }
    return { date, working: true, reason: '', source: 'weekday' };
  }
}

function yearOf(n: number): number {
  return new Date(n * 86_400_000).getUTCFullYear();
}
