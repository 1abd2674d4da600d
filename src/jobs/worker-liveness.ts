import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../db/pool.ts';
import type { Logger } from '../logger.ts';

/**
 * Heartbeats of this process's worker pools, and the sweep that frees jobs locked by pools that died without
 * shutting down (kill -9, power loss): they run again on a live pool instead of waiting four hours.
 */
export function watchWorkerLiveness(db: Database, logger: Logger, deadAfterSeconds: number) {
  const heartbeatMs = Math.max(500, (deadAfterSeconds * 1000) / 3);
  const pools = new Set<string>();
  const beat = async () => {
    if (pools.size > 0) {
      await db
        .updateTable('worker_node')
        .set({ last_seen_at: sql`now()` })
        .where('pool_id', 'in', [...pools])
        .execute();
    }
  };
  const heartbeat = setInterval(
    () => void beat().catch((err) => logger.warn({ err }, 'worker heartbeat failed')),
    heartbeatMs,
  );
  const sweeper = setInterval(
    () =>
      void sweepDeadWorkers(db, deadAfterSeconds, logger).catch((err) =>
        logger.warn({ err }, 'worker sweep failed'),
      ),
    heartbeatMs,
  );
  heartbeat.unref();
  sweeper.unref();
  return {
    async poolStarted(poolId: string) {
      pools.add(poolId);
      await db
        .insertInto('worker_node')
        .values({ pool_id: poolId, pid: process.pid, hostname: hostname() })
        .onConflict((oc) => oc.column('pool_id').doUpdateSet({ last_seen_at: sql`now()` }))
        .execute();
    },
    async poolStopped(poolId: string) {
      pools.delete(poolId);
      await db.deleteFrom('worker_node').where('pool_id', '=', poolId).execute();
    },
    stop() {
      clearInterval(heartbeat);
      clearInterval(sweeper);
    },
  };
}

/** Unlocks jobs and queues held by pools that are not alive (a pool whose heartbeat is older than deadAfterSeconds). */
export async function sweepDeadWorkers(
  db: Database,
  deadAfterSeconds: number,
  logger?: Logger,
): Promise<string[]> {
  const dead = await sql<{ locked_by: string }>`
    select distinct j.locked_by from graphile_worker._private_jobs j
    where j.locked_by is not null and j.locked_at < now() - make_interval(secs => ${deadAfterSeconds})
      and not exists (select 1 from worker_node w where w.pool_id = j.locked_by
                      and w.last_seen_at > now() - make_interval(secs => ${deadAfterSeconds}))
    union
    select distinct q.locked_by from graphile_worker._private_job_queues q
    where q.locked_by is not null and q.locked_at < now() - make_interval(secs => ${deadAfterSeconds})
      and not exists (select 1 from worker_node w where w.pool_id = q.locked_by
                      and w.last_seen_at > now() - make_interval(secs => ${deadAfterSeconds}))`.execute(db);
  const ids = dead.rows.map((r) => r.locked_by);
  if (ids.length > 0) {
    await sql`select graphile_worker.force_unlock_workers(${ids}::text[])`.execute(db);
    await db.deleteFrom('worker_node').where('pool_id', 'in', ids).execute();
    logger?.warn({ pools: ids }, 'unlocked the jobs of dead worker pools');
  }
  return ids;
}
