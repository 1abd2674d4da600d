import type { Database } from '../db/pool.ts';
import { WorkingCalendar } from './working-days.ts';

/**
 * The working calendar with every administrator exception. The table holds a few dozen rows a year and
 * changes a few times a year, so each node keeps it for a few seconds: a change made on this node is seen at
 * once (the write invalidates the copy), one made on another node within CACHE_MS.
 */
const CACHE_MS = 5000;
let cached: { calendar: WorkingCalendar; at: number; db: Database } | undefined;

export async function loadCalendar(db: Database): Promise<WorkingCalendar> {
  const now = Date.now();
  if (cached && cached.db === db && now - cached.at < CACHE_MS) {
    return cached.calendar;
  }
  const [rows, years] = await Promise.all([
    db.selectFrom('calendar_day').select(['day', 'kind', 'reason']).execute(),
    db.selectFrom('calendar_year').select('year').execute(),
  ]);
  const calendar = new WorkingCalendar(
    rows,
    years.map((y) => y.year),
  );
  cached = { calendar, at: now, db };
  return calendar;
}

/** Call after changing calendar_day or calendar_year. */
export function invalidateCalendar(): void {
  cached = undefined;
}
