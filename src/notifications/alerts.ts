import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/**
 * Alerts for administrators (a banner in the officer app): one row per problem, counted while it lasts and
 * resolved when it is fixed, so a failing send loop produces one alert, not thousands.
 */
export async function raiseAlert(
  db: Queryable,
  key: string,
  level: 'warning' | 'error',
  message: string,
): Promise<void> {
  await db
    .insertInto('app_alert')
    .values({ key, level, message })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        level,
        message,
        last_at: sql`now()`,
        count: sql`case when app_alert.resolved_at is null then app_alert.count + 1 else 1 end`,
        first_at: sql`case when app_alert.resolved_at is null then app_alert.first_at else now() end`,
        resolved_at: null,
      }),
    )
    .execute();
}

export async function resolveAlert(db: Queryable, key: string): Promise<void> {
  await db
    .updateTable('app_alert')
    .set({ resolved_at: sql`now()` })
    .where('key', '=', key)
    .where('resolved_at', 'is', null)
    .execute();
}

export function openAlerts(db: Queryable) {
  return db
    .selectFrom('app_alert')
    .select(['key', 'level', 'message', 'first_at', 'last_at', 'count'])
    .where('resolved_at', 'is', null)
    .orderBy('last_at', 'desc')
    .execute();
}
