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
