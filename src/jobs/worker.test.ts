import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runOnce } from 'graphile-worker';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildApiKey, buildProcedure, intakeBody } from '../test-support/factories.ts';
import { queuedJobs } from '../test-support/jobs.ts';
import { taskList, workerLogger } from './worker.ts';

describe('worker role', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('consumes the status-change jobs that intake and transitions enqueue', async () => {
    const agency = await buildAgency(t.app);
    const key = await buildApiKey(t.app, agency.id);
    const proc = await buildProcedure(t.app, [agency.id]);
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { authorization: key.authorization },
      payload: intakeBody(proc.code),
    });
    await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${res.json().code}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 4 },
    });
    assert.equal((await queuedJobs(t.app.db, 'dossier.status_changed')).length, 2);
    // runOnce can return while the last job's completion is still being written: drain until empty.
    for (let i = 0; i < 20 && (await queuedJobs(t.app.db, 'dossier.status_changed')).length > 0; i++) {
      await runOnce({ pgPool: t.db.pool, taskList: taskList(t.app), logger: workerLogger(t.app.logger) });
    }
    const left = await sql<{
      last_error: string | null;
      attempts: number;
    }>`select last_error, attempts from graphile_worker._private_jobs`.execute(t.app.db);
    assert.equal((await queuedJobs(t.app.db, 'dossier.status_changed')).length, 0, JSON.stringify(left.rows));
  });

  it('pages the integration list with a stable cursor', async () => {
    const agency = await buildAgency(t.app);
    const key = await buildApiKey(t.app, agency.id);
    const proc = await buildProcedure(t.app, [agency.id]);
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await t.server.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { authorization: key.authorization },
        payload: intakeBody(proc.code),
      });
    }
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5 && cursor !== null; page++) {
      const res = await t.server.inject({
        url: `/api/v1/dossiers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { authorization: key.authorization },
      });
      seen.push(...res.json().items.map((d: { code: string }) => d.code));
      cursor = res.json().nextCursor;
    }
    assert.equal(seen.length, 5);
    assert.deepEqual(seen, [...seen].sort().reverse());
  });
});
