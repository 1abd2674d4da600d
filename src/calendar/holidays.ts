import { fromDayNumber, isoFromParts, toDayNumber, weekdayOf } from './dates.ts';
import { lunarToSolar, solarToLunar } from './lunar.ts';

/**
 * Statutory public holidays (Bộ luật Lao động 2019, Art. 112) computed for a year, with the compensating
 * day off when a holiday falls on a weekend (Art. 111(3)). Days the Prime Minister fixes each year (the exact
 * Tết days, the day next to 2/9, swapped days) follow the usual pattern here; the administrator's
 * calendar_day rows override the result.
 */
export interface Holiday {
  day: number;
  reason: string;
}

const cache = new Map<number, Map<number, string>>();

/** Day number → reason, for every statutory day off of a Gregorian year (weekends not included). */
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
  const holidays: Holiday[] = [];
  const solar = (month: number, day: number, reason: string) =>
    holidays.push({ day: toDayNumber(isoFromParts(year, month, day)), reason });

  solar(1, 1, 'Tết Dương lịch');
  solar(4, 30, 'Ngày Chiến thắng 30/4');
  solar(5, 1, 'Ngày Quốc tế Lao động 1/5');
  solar(9, 2, 'Quốc khánh 2/9');
  holidays.push({ day: dayNextToNationalDay(year), reason: 'Quốc khánh (ngày liền kề 2/9)' });

  // Tết of lunar year `year` begins in January or February of the same Gregorian year; the last day of the
  // previous lunar year is the day before it.
  const tet = lunarDay(1, 1, year);
  holidays.push({ day: tet - 1, reason: 'Tết Âm lịch (ngày cuối năm)' });
  for (let i = 0; i < 4; i++) {
    holidays.push({ day: tet + i, reason: `Tết Âm lịch (mùng ${i + 1})` });
  }
  holidays.push({ day: lunarDay(10, 3, year), reason: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' });

  const result = new Map<number, string>();
  for (const h of holidays) {
    result.set(h.day, h.reason);
  }
  // A holiday on a weekend gives a day off on the next day that is neither weekend nor holiday.
  for (const h of [...holidays].sort((a, b) => a.day - b.day)) {
    if (!isWeekend(h.day)) {
      continue;
    }
    let n = h.day + 1;
    while (isWeekend(n) || result.has(n)) {
      n++;
    }
    result.set(n, `Nghỉ bù ${h.reason}`);
  }
  return result;
}

/**
 * The Prime Minister picks a day next to 2/9 each year; the usual choice bridges to the nearest weekend
 * (2021 Thu → Fri 3/9, 2022 Fri → Thu 1/9, 2024 Mon → Tue 3/9, 2025 Tue → Mon 1/9, 2020 Wed → Thu 3/9).
 */
function dayNextToNationalDay(year: number): number {
  const national = toDayNumber(isoFromParts(year, 9, 2));
  const w = weekdayOf(national);
  const takeDayBefore = w === 2 || w === 5 || w === 6;
  return takeDayBefore ? national - 1 : national + 1;
}

function lunarDay(day: number, month: number, lunarYear: number): number {
  const solar = lunarToSolar(day, month, lunarYear);
  if (!solar) {
    throw new Error(`No lunar date ${day}/${month}/${lunarYear}`);
  }
  return toDayNumber(isoFromParts(solar.year, solar.month, solar.day));
}

/** The lunar date label of a day (for the calendar view), e.g. "1/1" or "15/7 (nhuận)". */
export function lunarLabel(day: number): string {
  const [y, m, d] = fromDayNumber(day).split('-').map(Number) as [number, number, number];
  const l = solarToLunar(d, m, y);
  return `${l.day}/${l.month}${l.leap ? ' (nhuận)' : ''}`;
}
