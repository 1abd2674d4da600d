import { fromDayNumber, isoFromParts, toDayNumber, weekdayOf } from './dates.ts';
import { lunarToSolar, solarToLunar } from './lunar.ts';

/**
 * The proposed schedule of a year nobody has confirmed yet: the statutory public holidays of Bộ luật Lao
 * động 2019 Art. 112 placed the way the Prime Minister's yearly decisions have placed them. It is a
 * pre-fill, never the authority: the exact Tết days, the day joining 2/9 and every swap are decided each
 * year, and a confirmed year's schedule is data (calendar_day rows), not this computation.
 */
export interface Holiday {
  day: number;
  reason: string;
}

/** The Labour Code 2019 (in force 1/1/2021) added the day next to 2/9; before, only 2/9 itself was off. */
export const SECOND_NATIONAL_DAY_FROM = 2021;

const cache = new Map<number, Map<number, string>>();

/** Day number → reason, for every proposed weekday off of a Gregorian year (weekends not included). */
export function statutoryDaysOff(year: number): Map<number, string> {
  let days = cache.get(year);
  if (!days) {
    days = compute(year);
    cache.set(year, days);
  }
  return days;
}

function isWeekend(n: number): boolean {
  const w = weekdayOf(n);
  return w === 0 || w === 6;
}

function compute(year: number): Map<number, string> {
  const fixed: Holiday[] = [];
  const solar = (month: number, day: number, reason: string) =>
    fixed.push({ day: toDayNumber(isoFromParts(year, month, day)), reason });

  solar(1, 1, 'Tết Dương lịch');
  solar(4, 30, 'Ngày Chiến thắng 30/4');
  solar(5, 1, 'Ngày Quốc tế Lao động 1/5');
  solar(9, 2, 'Quốc khánh 2/9');
  if (year >= SECOND_NATIONAL_DAY_FROM) {
    fixed.push({ day: dayNextToNationalDay(year), reason: 'Quốc khánh (ngày liền kề 2/9)' });
  }
  fixed.push({ day: lunarDay(10, 3, year), reason: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' });

  const result = new Map<number, string>();
  for (const h of tetDaysOff(year)) {
    result.set(h.day, h.reason);
  }
  for (const h of fixed) {
    if (!isWeekend(h.day)) {
      result.set(h.day, h.reason);
    }
  }
  // Art. 111(3): a holiday on a weekend gives a day off on the next day that is neither weekend nor off.
  for (const h of [...fixed].sort((a, b) => a.day - b.day)) {
    if (!isWeekend(h.day)) {
      continue;
    }
    let n = h.day + 1;
    while (isWeekend(n) || result.has(n)) {
      n++;
    }
    result.set(n, `Nghỉ bù ${h.reason} (rơi vào ${weekdayName(h.day)} ${shortDate(h.day)})`);
  }
  return result;
}

/**
 * Tết's five days (the last day of the lunar year and the first four of the new one). The official breaks
 * of 2020, 2021, 2023 and 2024 follow one rule when a Tết day falls on a weekend: a Saturday is replaced by
 * the working day before the break, a Sunday by the working day after it (2020: 23–29/1, 2021: 10–16/2,
 * 2023: 20–26/1, 2024: 8–14/2; 2025's Saturday 1/2 became Monday 27/1).
 */
export function tetDaysOff(year: number): Holiday[] {
  const tet = lunarDay(1, 1, year);
  const days = [tet - 1, tet, tet + 1, tet + 2, tet + 3];
  const dayName = (n: number) => (n < tet ? 'ngày cuối năm' : `mùng ${n - tet + 1}`);
  const off: Holiday[] = days
    .filter((n) => !isWeekend(n))
    .map((n) => ({ day: n, reason: `Tết Âm lịch (${dayName(n)})` }));
  const taken = new Set(days);
  for (const n of days) {
    const w = weekdayOf(n);
    if (w !== 6 && w !== 0) {
      continue;
    }
    const step = w === 6 ? -1 : 1;
    let m = w === 6 ? Math.min(...taken) - 1 : Math.max(...taken) + 1;
    while (isWeekend(m) || taken.has(m)) {
      m += step;
    }
    taken.add(m);
    off.push({ day: m, reason: `Nghỉ Tết Âm lịch (thay ${dayName(n)}, ${weekdayName(n)} ${shortDate(n)})` });
  }
  return off.sort((a, b) => a.day - b.day);
}

/**
 * The Prime Minister picks the day next to 2/9 each year; the proposal follows the recent decisions, which
 * make the longest break with the nearest weekend: 2021 Thu → Fri 3/9, 2022 Fri → Thu 1/9, 2023 Sat → Fri
 * 1/9, 2024 Mon → Tue 3/9, 2025 Tue → Mon 1/9, 2026 Wed → Tue 1/9 (2026 also swapped Monday 31/8 for
 * Saturday 22/8: swaps are never proposed, only entered from the decision).
 */
function dayNextToNationalDay(year: number): number {
  const national = toDayNumber(isoFromParts(year, 9, 2));
  const w = weekdayOf(national);
  const takeDayBefore = w === 2 || w === 3 || w === 5 || w === 6;
  return takeDayBefore ? national - 1 : national + 1;
}

function lunarDay(day: number, month: number, lunarYear: number): number {
  const solar = lunarToSolar(day, month, lunarYear);
  if (!solar) {
    throw new Error(`No lunar date ${day}/${month}/${lunarYear}`);
  }
  return toDayNumber(isoFromParts(solar.year, solar.month, solar.day));
}

const WEEKDAY_NAMES = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];

function weekdayName(n: number): string {
  return WEEKDAY_NAMES[weekdayOf(n)]!;
}

function shortDate(n: number): string {
  const [, m, d] = fromDayNumber(n).split('-');
  return `${d}/${m}`;
}

/** The lunar date label of a day (for the calendar view), e.g. "1/1" or "15/7 (nhuận)". */
export function lunarLabel(day: number): string {
  const [y, m, d] = fromDayNumber(day).split('-').map(Number) as [number, number, number];
  const l = solarToLunar(d, m, y);
  return `${l.day}/${l.month}${l.leap ? ' (nhuận)' : ''}`;
}
