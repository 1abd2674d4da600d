import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';

/** Jobs waiting in the `job` table (src/jobs/job-queue.ts), oldest first. */
export async function queuedJobs(db: Queryable, task?: string) {
  let query = db.selectFrom('job').select(['task', 'key', 'payload', 'run_at', 'attempts', 'failed_at']);
  if (task !== undefined) {
    query = query.where('task', '=', task);
  }
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({ ...r, payload: r.payload as Record<string, unknown> }));
}

/** Status changes waiting in the planners' outbox (src/notifications/status-change-lane.ts), oldest first. */
export function statusChangeOutbox(db: Queryable) {
  return db.selectFrom('status_change').selectAll().orderBy('journal_id').execute();
}

/**
 * Runs `run` (jobs, planners, dispatchers…) again and again until no job or status change is due (work
 * scheduled for later stays). Due by the app's clock when given the app (as the job lanes see it), else by
 * the database's.
 */
export async function drainJobs(
  on: Queryable | Pick<AppContext, 'db' | 'clock'>,
  run: () => Promise<void>,
  opts: { until?: () => Promise<boolean>; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    await run();
    if (opts.until ? await opts.until() : (await dueJobs(on)) === 0) {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('jobs did not settle in time');
}

/** Jobs and status changes that are due. */
async function dueJobs(on: Queryable | Pick<AppContext, 'db' | 'clock'>): Promise<number> {
  const [db, now] = 'clock' in on ? [on.db, sql`${on.clock()}::timestamptz`] : [on, sql`now()`];
  const r = await sql<{ n: number }>`
    select (select count(*) from job
            where failed_at is null and run_at <= ${now} and (claimed_until is null or claimed_until <= ${now}))
         + (select count(*) from status_change
            where failed_at is null and (claimed_until is null or claimed_until <= now()))::int as n`.execute(
    db,
  );
  return Number(r.rows[0]?.n ?? 0);
}
