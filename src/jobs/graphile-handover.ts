import { sql } from 'kysely';
import type { Database } from '../db/pool.ts';
import { defineScheduledItem } from './scheduler.ts';

/**
 * The hand-over from graphile-worker, which earlier versions ran beside the lanes. The upgrade migration
 * (20261207-20-01) moves the jobs waiting in its queue into ours; during a rolling upgrade, nodes still on
 * the old version may add more (a Zalo send's delivery check, an administrator's "retry" of an SMS) until
 * they are stopped, and nobody would run those once the old worker is gone. So while graphile-worker's schema
 * exists, this moves every job of ours that no old worker is running — `fallback.send` / `fallback.check`
 * into `job`, `dossier.status_changed` into the planners' outbox — and removes it from graphile-worker's
 * queue, in one transaction. `zalo.event` jobs need nothing (their events are unprocessed rows the event
 * processors take anyway). To be removed with the schema itself, one release after issue 20.
 */
export async function adoptGraphileJobs(db: Database): Promise<number> {
  const present = await sql<{ present: boolean }>`
    select to_regclass('graphile_worker._private_jobs') is not null
       and to_regclass('graphile_worker._private_tasks') is not null as present`.execute(db);
  if (!present.rows[0]?.present) {
    return 0;
  }
  return db.transaction().execute(async (tx) => {
    const moved = await sql<{ n: number }>`
      with waiting as (
        select j.id, t.identifier as task, j.payload, j.key, j.run_at, j.attempts, j.max_attempts, j.last_error
        from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier in ('fallback.send', 'fallback.check', 'dossier.status_changed')
          and j.locked_at is null
        for update of j skip locked
      ),
      jobs as (
        insert into job (task, payload, key, run_at, attempts, max_attempts, last_error, failed_at)
        select task, coalesce(payload::jsonb, '{}'), key, run_at, attempts, max_attempts, last_error,
               case when attempts >= max_attempts then now() end
        from waiting where task <> 'dossier.status_changed'
        order by id
        on conflict (key) do nothing
      ),
      changes as (
        insert into status_change (journal_id, dossier_id, from_status, to_status, action)
        select dj.id, dj.dossier_id, dj.from_status, dj.to_status, dj.action
        from waiting w join dossier_journal dj on dj.id = (w.payload ->> 'journalId')::bigint
        where w.task = 'dossier.status_changed' and w.attempts < w.max_attempts
        on conflict (journal_id) do nothing
      ),
      removed as (
        delete from graphile_worker._private_jobs j using waiting w where j.id = w.id returning j.id
      )
      select count(*)::int as n from removed`.execute(tx);
    return moved.rows[0]?.n ?? 0;
  });
}

/** Every minute, on whichever node comes first, while graphile-worker's schema is there. */
export const graphileHandover = defineScheduledItem({
  name: 'graphile_handover',
  everyMs: () => 60_000,
  async run(app) {
    const moved = await adoptGraphileJobs(app.db);
    if (moved > 0) {
      app.logger.info({ moved }, "moved jobs from graphile-worker's queue to the job table");
    }
  },
});
