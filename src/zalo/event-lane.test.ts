import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { processZaloEvents } from '../app-zalo.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { ReplyNotSent } from './event-handlers.ts';
import { eventFailureMayPass } from './event-lane.ts';

/** Webhook events taken from their table by the worker nodes' event processors, on real PostgreSQL. */
describe('Zalo event processor', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const store = async (key: string, raw: Record<string, unknown> = { event_name: 'user_reacted_message' }) =>
    (
      await t.app.db
        .insertInto('zalo_event')
        .values({
          dedupe_key: key,
          event_name: String(raw.event_name),
          server: null,
          raw: JSON.stringify(raw),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const event = (id: number) =>
    t.app.db.selectFrom('zalo_event').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('leaves an event to the node that holds its lease, and takes it over when the lease ends', async () => {
    const id = await store('lease-1');
    await t.app.db
      .updateTable('zalo_event')
      .set({ claimed_until: new Date(t.app.clock().getTime() + 30_000), attempts: 1 })
      .where('id', '=', id)
      .execute();
    assert.equal(await processZaloEvents(t.app), 0, 'another node is on it');
    t.clock.advance(31_000);
    assert.equal(await processZaloEvents(t.app), 1);
    const e = await event(id);
    assert.equal(e.outcome, 'ignored');
    assert.ok(e.processed_at);
    assert.equal(e.attempts, 2);
    assert.equal(await processZaloEvents(t.app), 0, 'processed once');
  });

  it('tries a faulty event again later, and gives it up with an alert after three attempts', async () => {
    // A timestamp no date can hold: recording the follower fails.
    const id = await store('failing', {
      event_name: 'follow',
      follower: { id: '42' },
      timestamp: '9'.repeat(20),
    });
    assert.equal(await processZaloEvents(t.app), 1);
    let e = await event(id);
    assert.equal(e.processed_at, null);
    assert.ok(new Date(e.claimed_until!).getTime() > t.app.clock().getTime(), 'not before its delay');
    assert.equal(await processZaloEvents(t.app), 0);
    await t.app.db
      .updateTable('zalo_event')
      .set({ attempts: 2, claimed_until: null })
      .where('id', '=', id)
      .execute();
    assert.equal(await processZaloEvents(t.app), 1);
    e = await event(id);
    assert.ok(e.processed_at);
    assert.match(e.outcome ?? '', /^error: /);
    const alert = await t.app.db
      .selectFrom('app_alert')
      .selectAll()
      .where('key', '=', 'zalo.event.failed')
      .executeTakeFirstOrThrow();
    assert.equal(alert.resolved_at, null);
  });

  it('gives Zalo and PostgreSQL outages ten tries, and a fault of ours three', () => {
    assert.equal(eventFailureMayPass(new ReplyNotSent('Reply not sent (-32): timeout')), true);
    assert.equal(
      eventFailureMayPass(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      true,
    );
    assert.equal(
      eventFailureMayPass(Object.assign(new Error('date/time field value out of range'), { code: '22008' })),
      false,
    );
    assert.equal(
      eventFailureMayPass(new TypeError("Cannot read properties of undefined (reading 'id')")),
      false,
    );
  });
});
