import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/db/embedded.ts';
import { createTestDatabase, type TestDatabase } from '../../src/test-support/database.ts';

/**
 * Scheduled work needs no worker node: an installation whose worker is down (or not started yet) still prunes
 * its tables and still runs the health checks that say "no worker seen" — from its web nodes.
 */
describe('scheduled work on web-only nodes', () => {
  const ROOT = new URL('../..', import.meta.url).pathname;
  let db: TestDatabase;
  const nodes: ChildProcess[] = [];
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    for (const node of nodes) {
      node.kill('SIGKILL');
    }
    await db.drop();
  });

  it('runs the maintenance, the health checks and the scoreboard refresh once each on two web nodes and no worker', async () => {
    const first = await freePort(21000 + (process.pid % 5000));
    const second = await freePort(first + 1);
    for (const port of [first, second]) {
      nodes.push(
        spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=web'], {
          cwd: ROOT,
          env: {
            ...process.env,
            NODE_ENV: 'test',
            DATABASE_URL: db.url,
            LOG_LEVEL: 'silent',
            DEMO_DATA: '0',
            PORT: String(port),
          },
          stdio: 'ignore',
        }),
      );
    }
    const finished = async () =>
      db.db
        .selectFrom('scheduled_task')
        .select(['name', 'last_finished_at', 'last_error'])
        .where('last_finished_at', 'is not', null)
        .orderBy('name')
        .execute();
    const deadline = Date.now() + 60_000;
    while ((await finished()).length < 4) {
      assert.ok(Date.now() < deadline, 'the scheduled items ran on the web nodes');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(
      (await finished()).map((r) => [r.name, r.last_error]),
      [
        ['graphile_handover', null],
        ['health_checks', null],
        ['maintenance', null],
        ['public_stats_refresh', null],
      ],
    );
    const workers = await db.db.selectFrom('worker_node').select('pool_id').execute();
    assert.deepEqual(workers, [], 'no worker node ever ran');
    // Both nodes look every few seconds; the hour's maintenance ran once (its next run an hour on).
    const maintenance = await db.db
      .selectFrom('scheduled_task')
      .select(['last_started_at', 'next_run_at'])
      .where('name', '=', 'maintenance')
      .executeTakeFirstOrThrow();
    assert.equal(
      new Date(maintenance.next_run_at).getTime() - new Date(maintenance.last_started_at!).getTime(),
      3_600_000,
    );
  });
});
