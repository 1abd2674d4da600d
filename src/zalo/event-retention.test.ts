import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { pruneProcessedEvents } from './event-retention.ts';

describe('Zalo event retention', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2026-06-30T09:00:00+07:00', env: { ZALO_EVENT_RETENTION_DAYS: '30' } });
  });
  after(() => t.close());

  const daysAgo = (days: number) => new Date(t.clock.now().getTime() - days * 86_400_000);
  const store = (key: string, receivedDaysAgo: number, processed: boolean) =>
    t.app.db
      .insertInto('zalo_event')
      .values({
        dedupe_key: key,
        event_name: 'user_send_text',
        raw: JSON.stringify({ sender: { id: '42' }, message: { text: 'tra cứu' } }),
        received_at: daysAgo(receivedDaysAgo),
        processed_at: processed ? daysAgo(receivedDaysAgo) : null,
      })
      .execute();
  const keys = async () =>
    (await t.app.db.selectFrom('zalo_event').select('dedupe_key').orderBy('id').execute()).map(
      (r) => r.dedupe_key,
    );

  it('deletes processed events older than ZALO_EVENT_RETENTION_DAYS, and only those', async () => {
    // In the order Zalo would have sent them: ids follow received_at.
    await store('old-1', 45, true);
    await store('old-waiting', 40, false);
    await store('old-2', 31, true);
    await store('recent', 29, true);
    await store('new', 0, false);

    assert.equal(await pruneProcessedEvents(t.app), 2);
    assert.deepEqual(await keys(), ['old-waiting', 'recent', 'new']);
    assert.equal(await pruneProcessedEvents(t.app), 0, 'nothing left to delete');
  });
});
