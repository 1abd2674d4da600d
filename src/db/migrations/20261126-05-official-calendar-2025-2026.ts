import { type Kysely, sql } from 'kysely';

/**
 * A calendar_day row as this migration writes it. A frozen copy, not calendar/working-days.ts's type: a
 * migration never changes once it has run, so it does not follow the feature's code.
 */
type CalendarException = { day: string; kind: 'day_off' | 'working_day'; reason: string };

/**
 * The official day-off swaps of 2025 and 2026 that the computed calendar cannot know. Everything else
 * (weekends, 1/1, Tết, Giỗ Tổ, 30/4, 1/5, 2/9 and its neighbour, compensating days) is computed.
 * Sources: Bộ Nội vụ / VPCP announcements; 2026 New Year: VPCP letter 12729/VPCP-KGVX (25/12/2025).
 */
export const OFFICIAL_SWAPS_2025_2026: CalendarException[] = [
  { day: '2025-01-27', kind: 'day_off', reason: 'Nghỉ Tết Ất Tỵ (hoán đổi, làm bù thứ Bảy 08/02/2025)' },
  { day: '2025-02-03', kind: 'working_day', reason: 'Đi làm lại sau Tết Ất Tỵ (lịch nghỉ 25/01–02/02/2025)' },
  { day: '2025-02-08', kind: 'working_day', reason: 'Làm bù cho thứ Hai 27/01/2025' },
  { day: '2025-04-26', kind: 'working_day', reason: 'Làm bù cho thứ Sáu 02/05/2025' },
  { day: '2025-05-02', kind: 'day_off', reason: 'Nghỉ lễ 30/4–1/5 (hoán đổi, làm bù thứ Bảy 26/04/2025)' },
  { day: '2026-01-02', kind: 'day_off', reason: 'Nghỉ Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)' },
  { day: '2026-01-10', kind: 'working_day', reason: 'Làm bù cho thứ Sáu 02/01/2026' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const e of OFFICIAL_SWAPS_2025_2026) {
    await sql`insert into calendar_day (day, kind, reason) values (${e.day}, ${e.kind}, ${e.reason})
              on conflict (day) do nothing`.execute(db);
  }
}
