import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/** Jobs waiting in graphile-worker's queue (its public view has no payload, so read its tables). */
export async function queuedJobs(db: Queryable, task?: string) {
  const rows = await sql<{ task: string; key: string | null; payload: Record<string, unknown> }>`
    select t.identifier as task, j.key, j.payload
    from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
    where ${task ?? null}::text is null or t.identifier = ${task ?? null}
    order by j.id`.execute(db);
  return rows.rows;
}

/** Status changes waiting in the planners' outbox (src/jobs/status-change-lane.ts), oldest first. */
export function statusChangeOutbox(db: Queryable) {
  return db.selectFrom('status_change').selectAll().orderBy('journal_id').execute();
}

/**
 * Runs `run` (jobs, planners, dispatchers…) again and again until no job or status change is due (work
 * scheduled for later stays).
 */
export async function drainJobs(
  db: Queryable,
  run: () => Promise<void>,
  opts: { until?: () => Promise<boolean>; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    await run();
    if (opts.until ? await opts.until() : (await dueJobs(db)) === 0) {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('jobs did not settle in time');
}

/** graphile-worker jobs and status changes that are due. */
async function dueJobs(db: Queryable): Promise<number> {
  const r = await sql<{ n: number }>`
    select (select count(*) from graphile_worker._private_jobs where run_at <= now())
         + (select count(*) from status_change
            where failed_at is null and (claimed_until is null or claimed_until <= now()))::int as n`.execute(
    db,
  );
  return Number(r.rows[0]?.n ?? 0);
}
