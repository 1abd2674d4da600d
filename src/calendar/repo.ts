import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/pool.ts';
import { WorkingCalendar } from './working-days.ts';

/**
 * The working calendar with every administrator exception. The table holds a few dozen rows a year and
 * changes a few times a year, so each app keeps it for a few seconds of its clock: a change made through this
 * app is seen at once (the write invalidates the copy), one made on another node within CACHE_MS.
 */
const CACHE_MS = 5000;

/**
 * Per app (src/app-caches.ts): the copy, the instant of `app.clock()` it was read at, and the handle it was
 * read through. An app whose `db` is a transaction (`{ ...app, db: trx }`) shares its caches but not its
 * handle, so it reads the rows its transaction sees instead of the copy.
 */
function calendarCopy(): { held?: { calendar: WorkingCalendar; at: number; db: Database } } {
  return {};
}

export async function loadCalendar(
  app: Pick<AppContext, 'db' | 'clock' | 'caches'>,
): Promise<WorkingCalendar> {
  const copy = app.caches.of(calendarCopy);
  const now = app.clock().getTime();
  const held = copy.held;
  // A clock set back (tests) makes the age negative: read again rather than keep the copy until then.
  if (held && held.db === app.db && now - held.at < CACHE_MS && now >= held.at) {
    return held.calendar;
  }
  const [rows, years] = await Promise.all([
    app.db.selectFrom('calendar_day').select(['day', 'kind', 'reason']).execute(),
    app.db.selectFrom('calendar_year').select('year').execute(),
  ]);
  const calendar = new WorkingCalendar(
    rows,
    years.map((y) => y.year),
  );
  copy.held = { calendar, at: now, db: app.db };
  return calendar;
}

/** Call after changing calendar_day or calendar_year through this app. */
export function invalidateCalendar(app: Pick<AppContext, 'caches'>): void {
  app.caches.of(calendarCopy).held = undefined;
}
