import { type Selectable, sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import type { JobTable } from '../db/schema.ts';
import { raiseAlert } from '../operations/index.ts';
import { claimBatch, defineOutboxLane, type OutboxLane, workClaimed } from './lanes.ts';

/**
 * Jobs for later — the few kinds of background work that are not a row of their own feature's outbox (a
 * fallback SMS to send, a Zalo message's delivery to check in 15 minutes). A job is a row of `job`, written in
 * the caller's transaction (it exists if and only if the change that called for it commits), and run by the
 * job lanes of the worker nodes like every other outbox: claimed with a lease, so a node that dies leaves it
 * to another one; retried by the one backoff policy; given up after its max attempts with an alert.
 *
 * No NOTIFY: adding a job must not take the database-wide NOTIFY lock at commit (that serialised the commits
 * of the transactions that added graphile-worker jobs); the lanes poll for due jobs every second.
 */

export type JobRow = Selectable<JobTable>;

/** What runs the jobs of one task. A task is idempotent: a node that dies after running it runs it again. */
export type JobTask = (app: AppContext, payload: unknown) => Promise<unknown>;

/** The channel-less signal of the job lanes (and the name of the lane in logs). */
const JOBS = 'jobs';
const JOB_BATCH = 16;
/** Two lanes, so that a slow gateway call holds back only the batch of its own lane. */
const JOB_LANES = 2;
/** Far longer than a job takes (an SMS gateway's or mail server's answer, with its timeout). */
const JOB_LEASE_MS = 120_000;

export interface EnqueueOptions {
  /** At most one job per key: a second enqueue with the same key replaces (default) or keeps the first. */
  key?: string;
  /**
   * 'replace' moves the job to the new run time with a fresh set of attempts (a running one is left to finish,
   * and the new run follows it); 'keep' leaves the existing job as it is (the first schedule wins).
   */
  onKey?: 'replace' | 'keep';
  maxAttempts?: number;
}

/** Adds a job inside the caller's transaction, due at `runAt` (by the app's clock). */
export function enqueueJob(
  db: Queryable,
  task: string,
  payload: Record<string, unknown>,
  runAt: Date,
  opts: EnqueueOptions = {},
): Promise<void> {
  return enqueueJobs(db, task, [{ payload, key: opts.key, runAt }], opts);
}

/** Adds several jobs of one task in one statement, inside the caller's transaction. */
export async function enqueueJobs(
  db: Queryable,
  task: string,
  jobs: { payload: Record<string, unknown>; key?: string; runAt: Date }[],
  opts: Omit<EnqueueOptions, 'key'> = {},
): Promise<void> {
  // One statement may not touch a row twice: the last job of a key replaces, the first is kept.
  const byKey = new Map<string, (typeof jobs)[number]>();
  const unkeyed: typeof jobs = [];
  for (const j of jobs) {
    if (j.key === undefined) {
      unkeyed.push(j);
    } else if (opts.onKey !== 'keep' || !byKey.has(j.key)) {
      byKey.set(j.key, j);
    }
  }
  const rows = [...unkeyed, ...byKey.values()].map((j) => ({
    payload: j.payload,
    key: j.key ?? null,
    run_at: j.runAt.toISOString(),
  }));
  if (rows.length === 0) {
    return;
  }
  const onConflict =
    opts.onKey === 'keep'
      ? sql`do nothing`
      : sql`do update set payload = excluded.payload, run_at = excluded.run_at,
          max_attempts = excluded.max_attempts, attempts = 0, claimed_until = null, last_error = null,
          failed_at = null`;
  await sql`
    insert into job (task, payload, key, run_at, max_attempts)
    select ${task}, x.payload, x.key, x.run_at, ${opts.maxAttempts ?? 25}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(payload jsonb, key text, run_at timestamptz)
    on conflict (key) ${onConflict}`.execute(db);
}

/**
 * Runs up to `limit` due jobs in parallel, each under a lease. A job that succeeds is removed — unless it
 * was replaced meanwhile (enqueued again under its key, for a retry later): the removal and the failure
 * update touch the row only while it still holds this run's lease. Returns how many were claimed.
 */
export async function runDueJobs(
  app: AppContext,
  tasks: Record<string, JobTask>,
  limit = JOB_BATCH,
): Promise<number> {
  const now = app.clock();
  const claimed = await claimBatch<JobRow>(app, {
    table: 'job',
    key: 'id',
    due: sql`failed_at is null and run_at <= ${now}`,
    order: sql`run_at, id`,
    leaseMs: JOB_LEASE_MS,
    limit,
  });
  const done = await workClaimed(app, claimed, {
    what: 'a job',
    idOf: (j) => j.id,
    maxAttempts: (_err, j) => j.max_attempts,
    work: async (j) => {
      const task = tasks[j.task];
      if (!task) {
        throw new Error(`no task "${j.task}" on this node`);
      }
      await task(app, j.payload);
    },
    failed: async (j, err, { retryAt, givenUp }) => {
      await app.db
        .updateTable('job')
        .set({
          claimed_until: retryAt,
          last_error: err.message.slice(0, 500),
          ...(givenUp ? { failed_at: app.clock() } : {}),
        })
        .where('id', '=', j.id)
        .where('claimed_until', '=', j.claimed_until)
        .execute();
      if (givenUp) {
        await raiseAlert(
          app,
          'job.failed',
          'error',
          `Một việc chạy nền (${j.task} #${j.id}) không thực hiện được sau ${j.attempts} lần thử: ${err.message.slice(0, 200)}`,
        );
      }
    },
  });
  if (done.length > 0) {
    await sql`delete from job j
      using jsonb_to_recordset(${JSON.stringify(done.map((j) => ({ id: j.id, lease: j.claimed_until })))}::jsonb)
        as d(id bigint, lease timestamptz)
      where j.id = d.id and j.claimed_until = d.lease`.execute(app.db);
  }
  return claimed.length;
}

/** The job lanes of a worker node, for the given tasks: WORKER_CONCURRENCY jobs in flight at most. */
export function jobLane(tasks: Record<string, JobTask>): OutboxLane {
  const batch = (app: AppContext) => Math.ceil(app.config.worker.concurrency / JOB_LANES);
  return defineOutboxLane({
    what: 'the job runner',
    name: JOBS,
    lanes: JOB_LANES,
    work: async (app) => (await runDueJobs(app, tasks, batch(app))) >= batch(app),
  });
}
