import { type Kysely, sql } from 'kysely';

/**
 * A calendar_day row as this migration writes it. A frozen copy, not calendar/working-days.ts's type: a
 * migration never changes once it has run, so it does not follow the feature's code.
 */
type CalendarException = { day: string; kind: 'day_off' | 'working_day'; reason: string };

/**
 * Confirmed years (calendar_year): a year whose schedule an administrator entered from the government's
 * decision. Its calendar_day rows are then the whole schedule; other years are computed proposals.
 *
 * Ships the official 2025 and 2026 schedules as confirmed years, correcting 20261126-05: Tết 2025 had no
 * make-up Saturday (Ministry notice 6150/TB-BNV: days off Monday 27 – Friday 31/1/2025), and Quốc khánh 2026
 * is Tuesday 1/9 and Wednesday 2/9 with Monday 31/8 swapped for Saturday 22/8 (not 2/9 and Thursday 3/9).
 * Rows an administrator entered for those days are kept.
 */
export interface OfficialSchedule {
  decision: string;
  /** Weekdays off and weekend days worked: the whole schedule of the year. */
  days: CalendarException[];
}

const off = (day: string, reason: string): CalendarException => ({ day, kind: 'day_off', reason });
const work = (day: string, reason: string): CalendarException => ({ day, kind: 'working_day', reason });

export const OFFICIAL_SCHEDULES: Record<number, OfficialSchedule> = {
  2025: {
    decision:
      'Thông báo số 6150/TB-BNV của Bộ Nội vụ (Tết Ất Tỵ) và lịch nghỉ lễ 30/4, 1/5, Quốc khánh năm 2025 do Thủ tướng Chính phủ quyết định',
    days: [
      off('2025-01-01', 'Tết Dương lịch'),
      off('2025-01-27', 'Tết Âm lịch Ất Tỵ (nghỉ từ thứ Bảy 25/01 đến Chủ nhật 02/02/2025)'),
      off('2025-01-28', 'Tết Âm lịch Ất Tỵ'),
      off('2025-01-29', 'Tết Âm lịch Ất Tỵ (mùng 1)'),
      off('2025-01-30', 'Tết Âm lịch Ất Tỵ'),
      off('2025-01-31', 'Tết Âm lịch Ất Tỵ'),
      off('2025-04-07', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'),
      work('2025-04-26', 'Làm bù cho thứ Sáu 02/05/2025'),
      off('2025-04-30', 'Ngày Chiến thắng 30/4'),
      off('2025-05-01', 'Ngày Quốc tế Lao động 1/5'),
      off('2025-05-02', 'Nghỉ lễ 30/4–1/5 (hoán đổi, làm bù thứ Bảy 26/04/2025)'),
      off('2025-09-01', 'Quốc khánh (ngày liền kề 2/9)'),
      off('2025-09-02', 'Quốc khánh 2/9'),
    ],
  },
  2026: {
    decision:
      'Công văn số 12729/VPCP-KGVX (Tết Dương lịch); lịch nghỉ Tết Bính Ngọ, 30/4, 1/5 và Quốc khánh năm 2026 do Thủ tướng Chính phủ đồng ý',
    days: [
      off('2026-01-01', 'Tết Dương lịch'),
      off('2026-01-02', 'Nghỉ Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)'),
      work('2026-01-10', 'Làm bù cho thứ Sáu 02/01/2026'),
      off('2026-02-16', 'Tết Âm lịch Bính Ngọ (nghỉ từ thứ Bảy 14/02 đến Chủ nhật 22/02/2026)'),
      off('2026-02-17', 'Tết Âm lịch Bính Ngọ (mùng 1)'),
      off('2026-02-18', 'Tết Âm lịch Bính Ngọ'),
      off('2026-02-19', 'Tết Âm lịch Bính Ngọ'),
      off('2026-02-20', 'Tết Âm lịch Bính Ngọ'),
      off('2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch, Chủ nhật 26/04/2026)'),
      off('2026-04-30', 'Ngày Chiến thắng 30/4'),
      off('2026-05-01', 'Ngày Quốc tế Lao động 1/5'),
      work('2026-08-22', 'Làm bù cho thứ Hai 31/08/2026'),
      off('2026-08-31', 'Nghỉ Quốc khánh (hoán đổi, làm bù thứ Bảy 22/08/2026)'),
      off('2026-09-01', 'Quốc khánh (ngày liền kề 2/9)'),
      off('2026-09-02', 'Quốc khánh 2/9'),
    ],
  },
};

/** Rows of 20261126-05 that were wrong, as it wrote them (an administrator's later edit is left alone). */
const WRONG_ROWS = [
  { day: '2025-02-08', kind: 'working_day', reason: 'Làm bù cho thứ Hai 27/01/2025' },
  { day: '2025-02-03', kind: 'working_day', reason: 'Đi làm lại sau Tết Ất Tỵ (lịch nghỉ 25/01–02/02/2025)' },
  { day: '2025-01-27', kind: 'day_off', reason: 'Nghỉ Tết Ất Tỵ (hoán đổi, làm bù thứ Bảy 08/02/2025)' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_year (
      year integer primary key check (year between 2000 and 2100),
      decision text not null check (length(decision) between 1 and 300),
      confirmed_by integer references app_user,
      confirmed_at timestamptz not null default now()
    );
  `.execute(db);
  await correctOfficialSchedules(db);
}

/** The data part: remove 20261126-05's wrong rows, enter the official schedules, confirm their years. */
export async function correctOfficialSchedules(db: Kysely<unknown>): Promise<void> {
  for (const w of WRONG_ROWS) {
    await sql`delete from calendar_day where day = ${w.day} and kind = ${w.kind} and reason = ${w.reason}`.execute(
      db,
    );
  }
  for (const [year, schedule] of Object.entries(OFFICIAL_SCHEDULES)) {
    for (const e of schedule.days) {
      await sql`insert into calendar_day (day, kind, reason) values (${e.day}, ${e.kind}, ${e.reason})
                on conflict (day) do nothing`.execute(db);
    }
    await sql`insert into calendar_year (year, decision) values (${Number(year)}, ${schedule.decision})
              on conflict (year) do nothing`.execute(db);
  }
}
