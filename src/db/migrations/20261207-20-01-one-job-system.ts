import { type Kysely, sql } from 'kysely';

/**
 * One mechanism for all background work: the jobs graphile-worker ran (fallback.send, fallback.check) move to
 * a `job` table claimed by lanes like every other outbox (src/jobs/job-queue.ts), the hourly maintenance and
 * the health checks to the scheduler (src/jobs/scheduler.ts), whose leases are `scheduled_task`.
 *
 * A database that ran graphile-worker keeps its work: its fallback jobs are copied into `job` (with their run
 * time, key, attempts and last error; given-up ones as given up), and status changes still queued as
 * `dossier.status_changed` jobs (from before the status-change outbox) into `status_change`, and are removed
 * from its queue. `zalo.event` jobs need nothing: their events are unprocessed rows the event processors take
 * anyway; `maintenance_prune` is the scheduler's now. graphile-worker's schema stays for one release: during
 * a rolling upgrade the nodes still on the old version read and write it, and the jobs they add meanwhile are
 * moved by src/jobs/graphile-handover.ts.
 *
 * worker_node keeps the worker nodes' heartbeats: the rows of old nodes' graphile-worker pools stay while those
 * nodes beat, and are removed by the new nodes' heartbeats once they are silent (src/jobs/worker-liveness.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job (
      id bigint generated always as identity primary key,
      task text not null,
      payload jsonb not null default '{}',
      key text unique,
      run_at timestamptz not null,
      attempts integer not null default 0,
      max_attempts integer not null default 25,
      claimed_until timestamptz,
      last_error text,
      failed_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  // The claim reads due jobs by run time; checks scheduled minutes ahead are many and not due yet.
  await sql`create index job_due_idx on job (run_at, id) where failed_at is null`.execute(db);
  await sql`
    create table scheduled_task (
      name text primary key,
      next_run_at timestamptz not null,
      claimed_until timestamptz,
      last_started_at timestamptz,
      last_finished_at timestamptz,
      last_error text
    )`.execute(db);
  // Waiting jobs of ours move; one an old worker is running now stays with it (src/jobs/graphile-handover.ts
  // moves what old nodes add until they are stopped, the same way).
  await sql`
    do $$
    begin
      if to_regclass('graphile_worker._private_jobs') is not null
         and to_regclass('graphile_worker._private_tasks') is not null then
        with waiting as (
          select j.id, t.identifier as task, j.payload, j.key, j.run_at, j.attempts, j.max_attempts, j.last_error
          from graphile_worker._private_jobs j
          join graphile_worker._private_tasks t on t.id = j.task_id
          where t.identifier in ('fallback.send', 'fallback.check', 'dossier.status_changed')
            and j.locked_at is null
          for update of j
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
        )
        delete from graphile_worker._private_jobs j using waiting w where j.id = w.id;
      end if;
    end $$`.execute(db);
}
