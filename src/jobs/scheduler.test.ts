import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SCHEDULE } from '../app-background.ts';
import type { AppContext } from '../app-context.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import {
  defineScheduledItem,
  runDueScheduledItems,
  runScheduledItem,
  type ScheduledItem,
  startScheduler,
  takeScheduledRun,
} from './scheduler.ts';

/** Scheduled work on real PostgreSQL: once per period across nodes, whichever node comes first. */
describe('scheduler', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());
  beforeEach(() => t.app.db.deleteFrom('scheduled_task').execute());

  const counting = (name: string, everyMs: number, runs: string[]): ScheduledItem =>
    defineScheduledItem({
      name,
      everyMs: () => everyMs,
      run: async (app) => {
        runs.push(`${name}@${app.clock().toISOString()}`);
      },
    });

  it('runs an item once per period, whichever of several nodes asks', async () => {
    const runs: string[] = [];
    const item = counting('test.minutely', 60_000, runs);
    // Three nodes (three apps sharing the database and the clock) look at once, again and again.
    const nodes: AppContext[] = [t.app, { ...t.app }, { ...t.app }];
    const ran = await Promise.all(nodes.flatMap((app) => [1, 2].map(() => runScheduledItem(app, item))));
    assert.equal(ran.filter(Boolean).length, 1, 'one run in the first period');
    t.clock.advance(59_999);
    assert.deepEqual(await Promise.all(nodes.map((app) => runScheduledItem(app, item))), [
      false,
      false,
      false,
    ]);
    t.clock.advance(1);
    const next = await Promise.all(nodes.map((app) => runScheduledItem(app, item)));
    assert.equal(next.filter(Boolean).length, 1, 'one run in the next period');
    assert.equal(runs.length, 2);
  });

  it('does not start a period while the last run goes on, and leaves a dead run to the next period', async () => {
    const item = counting('test.held', 60_000, []);
    assert.equal(await takeScheduledRun(t.app, item), true);
    // The node that took it dies mid-run: nobody finishes it, no other node takes it before the lease ends.
    t.clock.advance(30_000);
    assert.equal(await takeScheduledRun(t.app, item), false);
    t.clock.advance(30_000);
    assert.equal(await takeScheduledRun(t.app, item), true, 'the next period runs on a live node');
  });

  it('records a failed run and tries it again within a minute, not a period later', async () => {
    const item = defineScheduledItem({
      name: 'test.hourly-failing',
      everyMs: () => 3_600_000,
      run: async () => {
        throw new Error('mail server down');
      },
    });
    await assert.rejects(runScheduledItem(t.app, item), /mail server down/);
    const row = await t.app.db
      .selectFrom('scheduled_task')
      .selectAll()
      .where('name', '=', item.name)
      .executeTakeFirstOrThrow();
    assert.equal(row.last_error, 'mail server down');
    assert.equal(row.claimed_until, null);
    assert.equal(new Date(row.next_run_at).getTime() - t.app.clock().getTime(), 60_000);
    t.clock.advance(60_000);
    await assert.rejects(runScheduledItem(t.app, item), /mail server down/, 'tried again');
  });

  it('holds the maintenance, the health checks, the scoreboard refresh and the graphile-worker hand-over, due at once on a new database', async () => {
    assert.deepEqual(
      SCHEDULE.map((i) => [i.name, i.everyMs(t.app)]),
      [
        ['health_checks', t.app.config.alerts.checkSeconds * 1000],
        ['maintenance', 3_600_000],
        ['public_stats_refresh', 60_000],
        ['graphile_handover', 60_000],
      ],
    );
    assert.deepEqual(await runDueScheduledItems(t.app, SCHEDULE), [
      'health_checks',
      'maintenance',
      'public_stats_refresh',
      'graphile_handover',
    ]);
    assert.deepEqual(await runDueScheduledItems(t.app, SCHEDULE), [], 'not again in the same period');
    t.clock.advance(60_000);
    assert.deepEqual(
      await runDueScheduledItems(t.app, SCHEDULE),
      ['health_checks', 'public_stats_refresh', 'graphile_handover'],
      'a minute on: the minutely ones, not the hourly maintenance',
    );
  });

  it('runs due items on every node that starts it, each once', async () => {
    const runs: string[] = [];
    const item = counting('test.started', 3_600_000, runs);
    const a = startScheduler(t.app, [item]);
    const b = startScheduler({ ...t.app }, [item]);
    try {
      const deadline = Date.now() + 10_000;
      while (
        (await t.app.db
          .selectFrom('scheduled_task')
          .select('last_finished_at')
          .where('name', '=', item.name)
          .executeTakeFirst()
          .then((r) => r?.last_finished_at ?? null)) === null
      ) {
        assert.ok(Date.now() < deadline, 'run at start');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await a.stop();
      await b.stop();
    }
    assert.equal(runs.length, 1);
  });
});
