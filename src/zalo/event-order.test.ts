import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { processZaloEvents } from '../app-zalo.ts';
import type { TestApp } from '../test-support/app.ts';
import { zaloEventsReleased } from '../test-support/events-released.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { follow } from '../zalo-sandbox/citizen.ts';

/**
 * A citizen's two messages stored by two concurrent webhook requests, the earlier one committed last: `id` is
 * drawn at insert, so the later message is visible first. The test holds the earlier message's transaction
 * open on its own connection, so the order of commits is fixed by the test, not by timing.
 */
describe('Zalo events of one citizen stored by concurrent requests', () => {
  let desk: ZaloDesk;
  let t: TestApp;
  before(async () => {
    desk = await createZaloDesk({ realTime: true, procedureName: 'Đăng ký khai sinh' });
    ({ t } = desk);
  });
  after(() => t.close());

  const message = (uid: string, key: string, text: string) => ({
    key,
    raw: JSON.stringify({
      event_name: 'user_send_text',
      sender: { id: uid },
      message: { text, msg_id: key },
      timestamp: String(Date.now()),
    }),
  });
  const INSERT = `insert into zalo_event (dedupe_key, event_name, server, raw)
                  values ($1, 'user_send_text', null, $2::jsonb)`;

  it('answers the later message only after the earlier one, committed last, is answered', async () => {
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
    try {
      await a.query('begin');
      await a.query(INSERT, [earlier.key, earlier.raw]);
      // Stored by another request after the earlier one began, committed first.
      await sql`insert into zalo_event (dedupe_key, event_name, server, raw)
                values (${later.key}, 'user_send_text', null, ${later.raw}::jsonb)`.execute(t.app.db);
      assert.equal(
        await processZaloEvents(t.app),
        0,
        'the later message waits while the earlier one is stored',
      );
      assert.equal(answers().length, before, 'nothing answered yet');
      await a.query('commit');
    } finally {
      await a.end();
    }
    // Other test files' transactions on the same server may still hold the events back for a moment.
    await zaloEventsReleased(t.app);
    while ((await processZaloEvents(t.app)) > 0) {}
    const replies = answers().slice(before);
    assert.equal(replies.length, 2, replies.map((r) => r.text).join('\n---\n'));
    assert.match(replies[0]!.text, new RegExp(d.code.replaceAll('.', '\\.')), 'the earlier message first');
    assert.match(replies[1]!.text, /Hướng dẫn tra cứu hồ sơ/);
  });
});
