import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createAppContext } from '../app-context.ts';
import { buildServer } from '../http/server.ts';
import { createLogger } from '../logger.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';

/**
 * The rating page's limit per client address holds across nodes: two apps on one database (two nodes behind
 * a load balancer) count one address's requests together.
 */
describe('the rating page limit across nodes', () => {
  let t: TestApp;
  let other: FastifyInstance;
  before(async () => {
    t = await createTestApp();
    // A second node: its own app context (caches, in-process state) and server, the same database and clock.
    other = await buildServer(createAppContext(t.app.db, t.app.config, createLogger('silent'), t.clock.now));
  });
  after(async () => {
    await other.close();
    await t.close();
  });

  it('refuses the 31st request of a minute from one address, whichever node takes it', async () => {
    const open = (server: FastifyInstance, remoteAddress: string) =>
      server
        .inject({ url: '/danh-gia/000.00.01.H50-260309-0001?sig=AAAAAAAAAAAAAAAAAAAAAA', remoteAddress })
        .then((r) => r.statusCode);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(await open(i % 2 === 0 ? t.server : other, '203.0.113.7'));
    }
    // Within the limit: the (bad) link is looked at, on both nodes.
    assert.deepEqual(new Set(statuses), new Set([403]));
    assert.equal(await open(other, '203.0.113.7'), 429, 'the 31st, on the node that saw only 15');
    assert.equal(await open(t.server, '203.0.113.7'), 429);
    assert.equal(await open(other, '203.0.113.8'), 403, 'another address has its own count');
    // The next minute (the window the counter keeps) starts afresh.
    t.clock.advance(60_000);
    assert.equal(await open(other, '203.0.113.7'), 403);
  });
});
