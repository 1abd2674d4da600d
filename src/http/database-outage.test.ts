import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/pool.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { createLogger } from '../logger.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { buildServer } from './server.ts';

describe('when PostgreSQL cannot be reached', () => {
  let server: FastifyInstance;
  let close: () => Promise<void>;

  before(async () => {
    // Nothing listens on port 1: every connection is refused at once.
    const url = 'postgres://postgres@127.0.0.1:1/motcua';
    const database = openDatabase(url);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      ZALO_SANDBOX: '0',
    });
    const app = createAppContext(database.db, config, createLogger('silent'));
    server = await buildServer(app);
    close = async () => {
      await server.close();
      await database.close();
    };
  });
  after(() => close());

  it('answers 503 with Retry-After, in the error shape, and says so on /readyz', async () => {
    for (const request of [
      { url: '/api/public/lookup?code=000.00.01.H50-260309-0001' },
      { method: 'POST' as const, url: '/api/auth/login', payload: { username: 'tiepnhan', password: 'x' } },
    ]) {
      const res = await server.inject(request);
      assert.equal(res.statusCode, 503, `${request.url}: ${res.body}`);
      assert.equal(res.headers['retry-after'], '10');
      assert.equal(res.json().error, 'database_unavailable');
      assert.match(res.json().userMessage, /tạm gián đoạn/);
    }
    // A citizen opening the receipt's link gets a page, not JSON.
    const page = await server.inject({
      url: '/tra-cuu/000.00.01.H50-260309-0001',
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    assert.equal(page.statusCode, 503);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.match(page.body, /Hệ thống đang tạm gián đoạn/);
    const ready = await server.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { ok: false, database: 'down' });
    assert.equal((await server.inject({ url: '/healthz' })).statusCode, 200, 'the process itself is alive');
  });
});

describe('readiness with PostgreSQL up', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('is ready', async () => {
    const ready = await t.server.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { ok: true, database: 'up' });
  });
});

it('tells an unreachable database from a wrong statement', () => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated unexpectedly'),
  ];
  const wrong = [
    Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' }),
    Object.assign(new Error('duplicate key value'), { code: '23505' }),
    new Error('Cannot read properties of undefined'),
  ];
  assert.deepEqual(
    unavailable.map(isDatabaseUnavailable),
    unavailable.map(() => true),
  );
  assert.deepEqual(
    wrong.map(isDatabaseUnavailable),
    wrong.map(() => false),
  );
});
