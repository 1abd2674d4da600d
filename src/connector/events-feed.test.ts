import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { eventsReleased } from '../test-support/events-released.ts';
import { buildAgency, buildApiKey } from '../test-support/factories.ts';

/**
 * The pull feed and a transaction that commits late: an event whose transaction began first but committed
 * after a later one must not be skipped by a cursor handed out in between. The test holds transaction A open
 * on its own connection, so the order of events is fixed by the test, not by timing.
 */
describe('GET /api/v1/events and a transaction that commits late', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let agencyId: number;

  const pull = async (after?: string) => {
    const res = await t.server.inject({
      url: `/api/v1/events${after ? `?after=${after}` : ''}`,
      headers: { authorization: key.authorization },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: { type: string; cursor: string }[]; nextCursor: string };
  };
  const record = (type: string) =>
    sql`insert into integration_event (agency_id, type) values (${agencyId}, ${type})`.execute(t.app.db);

  before(async () => {
    t = await createTestApp();
    agencyId = (await buildAgency(t.app)).id;
    key = await buildApiKey(t.app, agencyId);
  });
  after(async () => {
    await t.close();
  });

  it('holds back a later event until the earlier transaction ends, then serves both in order', async () => {
    let held: Awaited<ReturnType<typeof pull>>;
    const a = new pg.Client({ connectionString: t.db.url });
    await a.connect();
    try {
      await a.query('begin');
      await a.query(`insert into integration_event (agency_id, type) values ($1, 'a.first')`, [agencyId]);
      // B begins after A (a greater transaction id), commits first.
      await record('b.second');

      held = await pull();
      assert.deepEqual(held.items, [], 'B is not served while A, which began before it, is open');
      assert.equal(held.nextCursor, '0.0');

      await a.query('commit');
    } finally {
      await a.end();
    }
    // Other test files' transactions on the same server may still hold the events back for a moment.
    await eventsReleased(t.app);
    const page = await pull(held.nextCursor);
    assert.deepEqual(
      page.items.map((e) => e.type),
      ['a.first', 'b.second'],
      'A committed late and is not skipped by the cursor',
    );
    assert.deepEqual((await pull(page.nextCursor)).items, []);
  });
});
