import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createAppCaches } from '../app-caches.ts';
import type { AppContext } from '../app-context.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { startOutboxLane } from './lanes.ts';
import { signalLocally } from './wake.ts';

/** Lanes woken by NOTIFY on real PostgreSQL: one shared LISTEN connection, even when it is killed under them. */
describe('lanes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const until = async (what: string, predicate: () => boolean | Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await predicate())) {
      assert.ok(Date.now() < deadline, what);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('survives the loss of its LISTEN connection and listens again', async () => {
    let runs = 0;
    const lanes = startOutboxLane(t.app, t.db.pool, {
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
            where datname = current_database() and pid <> pg_backend_pid()
              and query like 'listen %test_lanes%'`.execute(t.app.db)
        ).rows;
      for (let i = 0; i < 100 && (await listening()).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await sql`select pg_notify('test_lanes', '')`.execute(t.app.db);
      await until('woken by NOTIFY', () => runs === 2);
      // The server ends the LISTEN connection (a restart, a failover): it reports the error, maybe twice.
      const terminated = (await listening()).map((l) => l.pid);
      for (const pid of terminated) {
        await sql`select pg_terminate_backend(${pid})`.execute(t.app.db);
      }
      // The ended backend may linger in pg_stat_activity for a moment: wait for a new one.
      await until('listening again on a new connection', async () =>
        (await listening()).some((l) => !terminated.includes(l.pid)),
      );
      await sql`select pg_notify('test_lanes', '')`.execute(t.app.db);
      await until('woken by NOTIFY on the new connection', () => runs === 3);
    } finally {
      await lanes.stop();
    }
  });

  it('waits longer after each failure in a row, and logs only when the wait doubles', async () => {
    const logged: { level: string; msg: string; failures?: number }[] = [];
    const record =
      (level: string) =>
      (fields: { failures?: number }, msg: string): void => {
        logged.push({ level, msg, failures: fields.failures });
      };
    const logger = { ...t.app.logger, error: record('error'), info: record('info'), warn: record('warn') };
    const tries: number[] = [];
    const lanes = startOutboxLane({ ...t.app, logger: logger as typeof t.app.logger }, t.db.pool, {
      what: 'flaky lanes',
      name: 'flaky_lanes',
      pollMs: 3_600_000,
      failureBackoff: { firstMs: 40, maxMs: 10_000 },
      lanes: 1,
      // Down for five tries (PostgreSQL restarting, say), then back.
      work: async () => {
        tries.push(Date.now());
        if (tries.length <= 5) {
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        }
        return false;
      },
    });
    try {
      await until('working again', () => logged.some((l) => l.msg === 'flaky lanes works again'));
      const waits = tries.slice(1).map((at, i) => at - tries[i]!);
      // 40, 80, 160, 320 ms, then the sixth try works (timers may fire a little late, never early).
      for (const [i, wait] of waits.entries()) {
        assert.ok(wait >= 40 * 2 ** i - 5, `wait ${i + 1} was ${wait} ms`);
      }
      assert.deepEqual(
        logged.map((l) => [l.level, l.failures]),
        [
          ['error', 1],
          ['error', 2],
          ['error', 4],
          ['info', 5],
        ],
      );
    } finally {
      await lanes.stop();
    }
  });

  it('listens on every channel of the process over one connection, and lets it go when the last lanes stop', async () => {
    const runs = { a: 0, b: 0 };
    const start = (name: 'a' | 'b') =>
      startOutboxLane(t.app, t.db.pool, {
        what: `test lanes ${name}`,
        name: `shared_${name}`,
        channel: `shared_${name}`,
        pollMs: 3_600_000,
        lanes: 1,
        work: async () => {
          runs[name]++;
          return false;
        },
      });
    const listening = async () =>
      (
        await sql<{ query: string }>`select query from pg_stat_activity
          where datname = current_database() and query like 'listen %' and state = 'idle'`.execute(t.app.db)
      ).rows;
    const a = start('a');
    await until('lanes a listen', async () => (await listening()).length === 1);
    const b = start('b');
    try {
      await until('the first runs at start', () => runs.a === 1 && runs.b === 1);
      await until('lanes b listen on the same connection', async () =>
        (await listening()).some((l) => l.query.includes('shared_b')),
      );
      assert.equal((await listening()).length, 1, 'one LISTEN connection');
      await sql`select pg_notify('shared_b', '')`.execute(t.app.db);
      await until('b woken', () => runs.b === 2);
      assert.equal(runs.a, 1, 'a NOTIFY wakes only the lanes of its channel');
      await sql`select pg_notify('shared_a', '')`.execute(t.app.db);
      await until('a woken', () => runs.a === 2);
    } finally {
      await a.stop();
      await b.stop();
    }
    await until('the connection let go', async () => (await listening()).length === 0);
  });

  it("is woken by its own app's in-process signals, not by another app's in the same process", async () => {
    const other: AppContext = { ...t.app, caches: createAppCaches() };
    const runs = { mine: 0, other: 0 };
    const start = (app: AppContext, who: 'mine' | 'other') =>
      startOutboxLane(app, t.db.pool, {
        what: `test lanes of ${who}`,
        name: 'per_app_signal',
        // No poll to speak of and no NOTIFY: only the in-process signal can wake them.
        pollMs: 3_600_000,
        lanes: 1,
        work: async () => {
          runs[who]++;
          return false;
        },
      });
    const mine = start(t.app, 'mine');
    const theirs = start(other, 'other');
    try {
      await until('the first runs at start', () => runs.mine === 1 && runs.other === 1);
      // A signal kicks its listeners at once (synchronously): a wrong wake-up would have run by the time the
      // right one is seen.
      signalLocally(other, 'per_app_signal');
      await until('the other woken by its app', () => runs.other === 2);
      assert.equal(runs.mine, 1, "another app's signal does not wake these lanes");
      signalLocally(t.app, 'per_app_signal');
      await until('woken by its app', () => runs.mine === 2);
      assert.deepEqual(runs, { mine: 2, other: 2 });
    } finally {
      await mine.stop();
      await theirs.stop();
    }
  });
});
