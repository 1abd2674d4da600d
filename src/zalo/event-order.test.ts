import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { processZaloEvents } from '../app-zalo.ts';
import type { TestApp } from '../test-support/app.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { follow } from '../zalo-sandbox/citizen.ts';
import { type IncomingEvent, orderedCitizenOf, storeEventsStatement } from './repo.ts';

/**
 * A citizen's two messages stored by two concurrent webhook requests: `id` is drawn at insert, so if the later
 * one could commit first it would be answered first. The store statement makes the later one wait for the
 * earlier one's commit (a lock per citizen). The test holds the earlier message's transaction open on its own
 * connection, so the order is fixed by the test, not by timing.
 */
describe('Zalo events of one citizen stored by concurrent requests', () => {
  let desk: ZaloDesk;
  let t: TestApp;
  before(async () => {
    desk = await createZaloDesk({ realTime: true, procedureName: 'Đăng ký khai sinh' });
    ({ t } = desk);
  });
  after(() => t.close());

  const message = (uid: string, key: string, text: string): IncomingEvent => {
    const event = {
      event_name: 'user_send_text',
      sender: { id: uid },
      message: { text, msg_id: key },
      timestamp: String(Date.now()),
    };
    return {
      dedupeKey: key,
      name: event.event_name,
      server: null,
      raw: JSON.stringify(event),
      citizen: orderedCitizenOf(event.event_name, event),
    };
  };
  /** Whether a connection of this test's database waits for an advisory lock. */
  const waitsForLock = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`.execute(
        t.app.db,
      )
    ).rows[0]!.n > 0;

  it('stores the later message only after the earlier one committed, and answers them in order', async () => {
    const d = await desk.intake('0912 345 601');
    const phone = '84970000301';
    const uid = follow(desk.sandbox(), phone).uid;
    const answers = () =>
      desk.sandbox().messages.filter((m) => m.direction === 'oa_to_user' && m.phone === phone);
    // The follow's welcome first, so that only the two messages' answers are counted below.
    await desk.work();
    const before = answers().length;

    const earlier = message(uid, `order-${Date.now()}-1`, `tra cứu ${d.code}`);
    const later = message(uid, `order-${Date.now()}-2`, 'hướng dẫn');
    const a = new pg.Client({ connectionString: t.db.url });
    await a.connect();
    let laterStored: Promise<unknown> | undefined;
    try {
      await a.query('begin');
      const first = storeEventsStatement([earlier]).compile(t.app.db);
      await a.query(first.sql, [...first.parameters]);
      // Another request stores the same citizen's next message while the first is not committed yet.
      laterStored = storeEventsStatement([later]).execute(t.app.db);
      const deadline = Date.now() + 30_000;
      while (!(await waitsForLock())) {
        assert.ok(Date.now() < deadline, 'the later message waits for the earlier one to be committed');
        await wait(5);
      }
      assert.equal(await processZaloEvents(t.app), 0, 'nothing to answer while the earlier one is stored');
      await a.query('commit');
    } finally {
      await a.end();
    }
    await laterStored;
    while ((await processZaloEvents(t.app)) > 0) {}
    const replies = answers().slice(before);
    assert.equal(replies.length, 2, replies.map((r) => r.text).join('\n---\n'));
    assert.match(replies[0]!.text, new RegExp(d.code.replaceAll('.', '\\.')), 'the earlier message first');
    assert.match(replies[1]!.text, /Hướng dẫn tra cứu hồ sơ/);
  });

  it('locks only ordered events, each citizen once, in one order', () => {
    const follow = { event_name: 'follow', follower: { id: '42' } };
    assert.equal(orderedCitizenOf('follow', follow), '42');
    assert.equal(orderedCitizenOf('user_send_text', { sender: { id: 7 } }), '7');
    assert.equal(orderedCitizenOf('user_received_message', { sender: { id: 'oa' } }), null);
    assert.equal(orderedCitizenOf('change_template_status', {}), null);
  });
});
