/**
 * Calendar dates as ISO strings ('YYYY-MM-DD') at the edges and as day numbers (days since 1970-01-01)
 * inside computations. Vietnam has one time zone, UTC+7, with no daylight saving.
 */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) {
    return false;
  }
  return fromDayNumber(toDayNumber(value)) === value;
}

export function toDayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) {
    throw new RangeError(`Not an ISO date: ${date}`);
  }
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function isoFromParts(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** The date in Vietnam at an instant. */
export function vnDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** The wall-clock time in Vietnam at an instant, 'HH:MM:SS'. */
export function vnTimeOf(instant: Date): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(11, 19);
}

/** The instant of a Vietnamese wall-clock time on a date. */
export function vnInstant(date: IsoDate, time = '00:00:00'): Date {
  return new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+07:00`);
}

/** dd/MM/yyyy, as Vietnamese forms and screens show dates. */
export function formatVnDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
