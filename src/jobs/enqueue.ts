import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

export interface JobOptions {
  jobKey?: string;
  /** What a second job with the same key does: 'replace' (the default) moves run_at, 'preserve_run_at' keeps it. */
  jobKeyMode?: 'replace' | 'preserve_run_at';
  queueName?: string;
  runAt?: Date;
  maxAttempts?: number;
  priority?: number;
}

/**
 * Adds a graphile-worker job through SQL, inside the caller's transaction: the job exists if and only if the
 * change that caused it commits (a transactional outbox). `jobKey` de-duplicates replays; a lower `priority`
 * runs first.
 */
export async function enqueueJob(
  db: Queryable,
  task: string,
  payload: Record<string, unknown>,
  opts: JobOptions = {},
): Promise<void> {
  await sql`select graphile_worker.add_job(
      identifier => ${task},
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${opts.queueName ?? null},
      run_at => ${opts.runAt ?? null},
      max_attempts => ${opts.maxAttempts ?? 25},
      priority => ${opts.priority ?? 0},
      job_key => ${opts.jobKey ?? null},
      job_key_mode => ${opts.jobKeyMode ?? 'replace'}
    )`.execute(db);
}

/**
 * Adds several jobs of one task in one statement (graphile-worker's add_jobs), inside the caller's
 * transaction. With `preserveRunAt`, a job whose key exists keeps its run time (as jobKeyMode
 * 'preserve_run_at').
 */
export async function enqueueJobs(
  db: Queryable,
  task: string,
  jobs: { payload: Record<string, unknown>; jobKey?: string; runAt?: Date }[],
  opts: { preserveRunAt?: boolean; maxAttempts?: number } = {},
): Promise<void> {
  if (jobs.length === 0) {
    return;
  }
  const specs = jobs.map((j) => ({
    identifier: task,
    payload: j.payload,
    run_at: j.runAt?.toISOString() ?? null,
    max_attempts: opts.maxAttempts ?? 25,
    job_key: j.jobKey ?? null,
    priority: 0,
  }));
  await sql`select graphile_worker.add_jobs(
      array(select json_populate_record(null::graphile_worker.job_spec, s) from json_array_elements(${JSON.stringify(specs)}::json) s),
      ${opts.preserveRunAt ?? false}
    )`.execute(db);
}
