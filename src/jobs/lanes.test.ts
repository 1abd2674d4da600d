import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { startLanes } from './lanes.ts';

/** Lanes woken by NOTIFY, on real PostgreSQL, when their LISTEN connection is killed under them. */
describe('lanes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const until = async (what: string, predicate: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!predicate()) {
      assert.ok(Date.now() < deadline, what);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('survives the loss of its LISTEN connection and listens again', async () => {
    let runs = 0;
    const lanes = startLanes(t.app, t.db.pool, {
      what: 'test lanes',
      name: 'test_lanes',
      channel: 'test_lanes',
      // No poll to speak of: only NOTIFY can wake them.
      pollMs: 3_600_000,
      lanes: 1,
      work: async () => {
        runs++;
        return false;
      },
    });
    try {
      await until('the first run at start', () => runs === 1);
      const listening = async () =>
        (
          await sql<{ pid: number }>`select pid from pg_stat_activity
            where datname = current_database() and query = 'listen test_lanes'`.execute(t.app.db)
        ).rows;
      for (let i = 0; i < 100 && (await listening()).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await sql`select pg_notify('test_lanes', '')`.execute(t.app.db);
      await until('woken by NOTIFY', () => runs === 2);
      // The server ends the LISTEN connection (a restart, a failover): it reports the error, maybe twice.
      for (const { pid } of await listening()) {
        await sql`select pg_terminate_backend(${pid})`.execute(t.app.db);
      }
      for (let i = 0; i < 200 && (await listening()).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await sql`select pg_notify('test_lanes', '')`.execute(t.app.db);
      await until('woken by NOTIFY on the new connection', () => runs === 3);
    } finally {
      await lanes.stop();
    }
  });
});
