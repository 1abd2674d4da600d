import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { queuedJobs } from '../test-support/jobs.ts';
import { backoffMs, CLAIMED_WORK_BACKOFF } from './backoff.ts';
import { enqueueJob, enqueueJobs, type JobTask, runDueJobs } from './job-queue.ts';

/** The job table on real PostgreSQL: claims, leases, a node that dies, retries by the backoff policy, giving up. */
describe('jobs', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());
  beforeEach(async () => {
    await t.app.db.deleteFrom('job').execute();
    await t.app.db.deleteFrom('app_alert').execute();
  });

  const now = () => t.app.clock();
  const later = (ms: number) => new Date(now().getTime() + ms);
  const rows = () => t.app.db.selectFrom('job').selectAll().orderBy('id').execute();

  it('runs a job once it is due, and removes it when done', async () => {
    const ran: unknown[] = [];
    const tasks: Record<string, JobTask> = { 'test.echo': async (_app, p) => ran.push(p) };
    await enqueueJob(t.app.db, 'test.echo', { n: 1 }, now());
    await enqueueJob(t.app.db, 'test.echo', { n: 2 }, later(60_000));
    assert.equal(await runDueJobs(t.app, tasks), 1);
    assert.deepEqual(ran, [{ n: 1 }]);
    assert.deepEqual(
      (await queuedJobs(t.app.db)).map((j) => j.payload),
      [{ n: 2 }],
      'the later one waits, the done one is gone',
    );
    t.clock.advance(60_000);
    assert.equal(await runDueJobs(t.app, tasks), 1);
    assert.deepEqual(ran, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(await rows(), []);
  });

  it('gives each job to one runner, and a job left by a dead node to another once its lease ends', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    // The first runner takes the job and hangs (a node about to die).
    const slow: Record<string, JobTask> = {
      'test.work': async () => {
        runs++;
        await held;
      },
    };
    await enqueueJob(t.app.db, 'test.work', {}, now());
    const first = runDueJobs(t.app, slow);
    while ((await rows())[0]?.attempts !== 1) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const quick: Record<string, JobTask> = { 'test.work': async () => void runs++ };
    assert.equal(await runDueJobs(t.app, quick), 0, 'a live lease is not taken over');
    // The lease of the hanging runner ends (it died): another one takes the job and finishes it.
    t.clock.advance(121_000);
    assert.equal(await runDueJobs(t.app, quick), 1);
    assert.equal(runs, 2);
    assert.deepEqual(await rows(), []);
    // The dead node's run, should it come back, removes nothing that is not its own.
    release();
    await first;
    assert.deepEqual(await rows(), []);
  });

  it('retries a failing job by the backoff policy, then gives it up with an alert', async () => {
    let fail = true;
    const tasks: Record<string, JobTask> = {
      'test.flaky': async () => {
        if (fail) {
          throw new Error('gateway down');
        }
      },
    };
    await enqueueJob(t.app.db, 'test.flaky', {}, now(), { maxAttempts: 3 });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const at = now();
      assert.equal(await runDueJobs(t.app, tasks), 1);
      const [job] = await rows();
      assert.equal(job!.attempts, attempt);
      assert.equal(job!.last_error, 'gateway down');
      assert.equal(job!.failed_at, null);
      const wait = backoffMs(CLAIMED_WORK_BACKOFF, attempt);
      assert.equal(
        new Date(job!.claimed_until!).getTime() - at.getTime(),
        wait,
        `wait after attempt ${attempt}`,
      );
      t.clock.advance(wait - 1);
      assert.equal(await runDueJobs(t.app, tasks), 0, 'not before its retry time');
      // The retry time is the end of a lease: due just after it.
      t.clock.advance(2);
    }
    assert.equal(await runDueJobs(t.app, tasks), 1);
    const [given] = await rows();
    assert.ok(given!.failed_at, 'given up after its max attempts');
    t.clock.advance(3_600_000);
    assert.equal(await runDueJobs(t.app, tasks), 0, 'a given-up job is not run again');
    const alert = await t.app.db
      .selectFrom('app_alert')
      .select(['key', 'message'])
      .where('key', '=', 'job.failed')
      .executeTakeFirst();
    assert.match(alert?.message ?? '', /test\.flaky/);
    // A job that fails once and then works is removed like any other.
    fail = false;
    await enqueueJob(t.app.db, 'test.flaky', {}, now());
    fail = true;
    await runDueJobs(t.app, tasks);
    fail = false;
    t.clock.advance(backoffMs(CLAIMED_WORK_BACKOFF, 1) + 1);
    assert.equal(await runDueJobs(t.app, tasks), 1);
    assert.deepEqual(
      (await rows()).map((j) => j.task),
      ['test.flaky'],
      'only the given-up one is left',
    );
  });

  it('keeps one job per key: replaced (a new run time, fresh attempts) or kept (the first schedule wins)', async () => {
    await enqueueJob(t.app.db, 'test.keyed', { v: 1 }, later(10_000), { key: 'k1' });
    await enqueueJob(t.app.db, 'test.keyed', { v: 2 }, later(20_000), { key: 'k1' });
    await enqueueJobs(
      t.app.db,
      'test.keyed',
      [
        { payload: { v: 3 }, key: 'k2', runAt: later(30_000) },
        { payload: { v: 4 }, key: 'k2', runAt: later(40_000) },
      ],
      { onKey: 'keep' },
    );
    await enqueueJobs(t.app.db, 'test.keyed', [{ payload: { v: 5 }, key: 'k2', runAt: later(50_000) }], {
      onKey: 'keep',
    });
    assert.deepEqual(
      (await queuedJobs(t.app.db)).map((j) => [
        j.key,
        j.payload,
        new Date(j.run_at).getTime() - now().getTime(),
      ]),
      [
        ['k1', { v: 2 }, 20_000],
        ['k2', { v: 3 }, 30_000],
      ],
    );
  });

  it('lets a running job schedule its own next run under its key (a retry), and keeps it', async () => {
    let runs = 0;
    const tasks: Record<string, JobTask> = {
      'test.again': async (app) => {
        runs++;
        if (runs === 1) {
          await enqueueJob(app.db, 'test.again', {}, later(30_000), { key: 'again' });
        }
      },
    };
    await enqueueJob(t.app.db, 'test.again', {}, now(), { key: 'again' });
    assert.equal(await runDueJobs(t.app, tasks), 1);
    const [next] = await rows();
    assert.ok(next, 'the next run survives the end of the first');
    assert.equal(new Date(next.run_at).getTime() - now().getTime(), 30_000);
    t.clock.advance(30_000);
    assert.equal(await runDueJobs(t.app, tasks), 1);
    assert.equal(runs, 2);
    assert.deepEqual(await rows(), []);
  });

  it('fails a job whose task this node does not know, like any failing job', async () => {
    await enqueueJob(t.app.db, 'test.unknown', {}, now(), { maxAttempts: 1 });
    await runDueJobs(t.app, {});
    const [job] = await rows();
    assert.ok(job!.failed_at);
    assert.match(job!.last_error ?? '', /no task "test\.unknown"/);
  });
});
