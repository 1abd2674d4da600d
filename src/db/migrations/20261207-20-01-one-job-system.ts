import { type Kysely, sql } from 'kysely';

/**
 * One mechanism for all background work: the jobs graphile-worker ran (fallback.send, fallback.check) move to
 * a `job` table claimed by lanes like every other outbox (src/jobs/job-queue.ts), the hourly maintenance and
 * the health checks to the scheduler (src/jobs/scheduler.ts), whose leases are `scheduled_task`.
 *
 * A database that ran graphile-worker keeps its work: its fallback jobs are copied into `job` (with their run
 * time, key, attempts and last error; given-up ones as given up), and status changes still queued as
 * `dossier.status_changed` jobs (from before the status-change outbox) into `status_change`. `zalo.event` jobs
 * need nothing: their events are unprocessed rows the event processors take anyway; `maintenance_prune` is
 * the scheduler's now. graphile-worker's schema is then dropped: every node of a version that used it must be
 * stopped before this one starts (docs/deployment.md), or its jobs would be added where nobody runs them.
 *
 * worker_node keeps the worker nodes' heartbeats; the rows of graphile-worker's pools go.
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
  await sql`
    do $$
    begin
      if to_regclass('graphile_worker._private_jobs') is not null
         and to_regclass('graphile_worker._private_tasks') is not null then
        insert into job (task, payload, key, run_at, attempts, max_attempts, last_error, failed_at)
        select t.identifier, coalesce(j.payload::jsonb, '{}'), j.key, j.run_at, j.attempts, j.max_attempts,
               j.last_error, case when j.attempts >= j.max_attempts then now() end
        from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier in ('fallback.send', 'fallback.check')
        order by j.id
        on conflict (key) do nothing;

        insert into status_change (journal_id, dossier_id, from_status, to_status, action)
        select dj.id, dj.dossier_id, dj.from_status, dj.to_status, dj.action
        from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id
        join dossier_journal dj on dj.id = (j.payload ->> 'journalId')::bigint
        where t.identifier = 'dossier.status_changed' and j.attempts < j.max_attempts
        on conflict (journal_id) do nothing;
      end if;
    end $$`.execute(db);
  await sql`drop schema if exists graphile_worker cascade`.execute(db);
  await sql`delete from worker_node`.execute(db);
}
