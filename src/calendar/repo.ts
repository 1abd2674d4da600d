import type { Queryable } from '../db/pool.ts';
import { WorkingCalendar } from './working-days.ts';

/**
 * The working calendar with every administrator exception. The table holds a few dozen rows a year, so
 * reading it whole per business action keeps every node consistent without a cache to invalidate.
 */
export async function loadCalendar(db: Queryable): Promise<WorkingCalendar> {
  const rows = await db.selectFrom('calendar_day').select(['day', 'kind', 'reason']).execute();
  return new WorkingCalendar(rows);
}
