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

/** Runs every job that is due, again and again, until none is left (jobs scheduled for later stay). */
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

async function dueJobs(db: Queryable): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from graphile_worker._private_jobs where run_at <= now()`.execute(db);
  return r.rows[0]?.n ?? 0;
}
