import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { processZaloEvents } from '../app-zalo.ts';
import { lookupSignature } from '../lookup/signed-link.ts';
import type { TestApp } from '../test-support/app.ts';
import { refusingBatches } from '../test-support/database.ts';
import type { buildApiKey } from '../test-support/factories.ts';
import { drainJobs } from '../test-support/jobs.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { follow, sendToOa } from '../zalo-sandbox/citizen.ts';
import type { SandboxMessage } from '../zalo-sandbox/state.ts';

/**
 * Conversations with the OA end to end: the sandbox's citizen acts (follow, send text or a link), its signed
 * webhook reaches our server over real HTTP, the event job answers through the consultation API.
 */
describe('Zalo look-up bot', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;

  let desk: ZaloDesk;

  before(async () => {
    desk = await createZaloDesk({
      realTime: true,
      env: { BOT_LOOKUPS_PER_MINUTE_PER_USER: '3' },
      procedureName: 'Đăng ký khai sinh',
    });
    ({ t, key } = desk);
  });
  after(() => t.close());

  const sandbox = () => desk.sandbox();
  const work = () => desk.work();
  const intake = (phone: string) => desk.intake(phone);
  const transition = async (code: string, to: number, extra: Record<string, unknown> = {}) => {
    const res = await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to, ...extra },
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  const toUser = (phone: string) =>
    sandbox().messages.filter(
      (m) => m.direction === 'oa_to_user' && m.phone === phone && m.kind !== 'zbs_phone',
    );
  const eventsProcessed = async () =>
    (await t.app.db.selectFrom('zalo_event').select('id').where('processed_at', 'is', null).execute())
      .length === 0;

  /** The citizen acts; returns the OA's answers once every event is processed and `count` answers arrived. */
  const converse = async (phone: string, act: () => void, count = 1): Promise<SandboxMessage[]> => {
    const before = toUser(phone).length;
    act();
    await drainJobs(t.app.db, work, {
      until: async () => toUser(phone).length >= before + count && (await eventsProcessed()),
    });
    return toUser(phone).slice(before);
  };
  const say = (phone: string, text: string, count = 1) =>
    converse(phone, () => sendToOa(sandbox(), phone, { text }), count);
  const lastOutcome = async () =>
    await t.app.db
      .selectFrom('zalo_event')
      .select(['outcome', 'replied_at'])
      .where('event_name', 'in', ['user_send_text', 'user_send_link'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

  it('welcomes a new follower with how to look a dossier up', async () => {
    const [welcome] = await converse('84970000001', () => follow(sandbox(), '84970000001'));
    assert.match(welcome!.text, /Dịch vụ công tỉnh Quảng Trị/);
    assert.match(welcome!.text, /gửi mã hồ sơ in trên Giấy tiếp nhận/);
  });

  it('finds the code in messy text and answers with the status, the name masked', async () => {
    const d = await intake('0912 345 678');
    await transition(d.code, 4);
    const messy = `tra cứu hồ sơ ${d.code.toLowerCase().replaceAll('-', ' -- ')} giúp tôi`;
    const [answer] = await say('84970000002', messy);
    assert.match(answer!.text, new RegExp(`Hồ sơ ${d.code.replaceAll('.', '\\.')}`));
    assert.match(answer!.text, /Tình trạng: Đang xử lý\n/);
    assert.match(answer!.text, /Thủ tục: Đăng ký khai sinh/);
    assert.match(answer!.text, /Người nộp: Nguyễn V\. A\./);
    assert.match(answer!.text, /Ngày hẹn trả: \d{2}\/\d{2}\/\d{4}/);
    assert.match(answer!.text, /Còn \d+ ngày làm việc|Đến hạn trả kết quả hôm nay/);
    assert.ok(!answer!.text.includes('Nguyễn Văn An'), 'the full name is not told to whoever knows the code');
    assert.ok(!answer!.text.includes('912345678'));
    assert.deepEqual(
      answer!.buttons?.map((b) => [b.title, b.type]),
      [
        ['Theo dõi hồ sơ này', 'oa.query.hide'],
        ['Xem chi tiết', 'oa.open.url'],
      ],
    );
    const event = await lastOutcome();
    assert.equal(event.outcome, 'answered');
    assert.ok(event.replied_at);
  });

  it('answers every code of a message, and unknown codes with the expected format', async () => {
    const d = await intake('0912 345 679');
    const unknown = d.code.replace(/\d{4}$/, '9999');
    const answers = await say('84970000003', `${d.code} và ${unknown}`, 2);
    assert.match(answers[0]!.text, /Tình trạng: Được tiếp nhận/);
    assert.match(answers[1]!.text, /Không tìm thấy hồ sơ có mã/);
    // The example is in the province's own shape: its agency's identifier and today's date.
    assert.ok(answers[1]!.text.includes(`dạng ${d.code.replace(/\d{4}$/, '0001')} (`), answers[1]!.text);
    assert.equal((await lastOutcome()).outcome, 'answered_partly');
  });

  it('sends the short guide for anything else, and answers our look-up link like its code', async () => {
    const [guide] = await say('84970000004', 'hướng dẫn');
    assert.match(guide!.text, /Hướng dẫn tra cứu hồ sơ/);
    const [photo] = await converse('84970000004', () =>
      sendToOa(sandbox(), '84970000004', { imageUrl: 'https://example.invalid/receipt.jpg' }),
    );
    assert.match(photo!.text, /chưa đọc được ảnh/);
    const d = await intake('0912 345 680');
    const url = `https://motcua.test/tra-cuu/${d.code}?sig=${lookupSignature(t.app.config.secrets.lookupLink, d.code)}`;
    const [answer] = await say('84970000004', url);
    assert.match(answer!.text, new RegExp(`Hồ sơ ${d.code.replaceAll('.', '\\.')}`));
    const event = await t.app.db
      .selectFrom('zalo_event')
      .select('outcome')
      .where('event_name', '=', 'user_send_link')
      .executeTakeFirstOrThrow();
    assert.equal(event.outcome, 'answered');
  });

  it('limits look-ups per Zalo user: one warning, then silence', async () => {
    // The limit counts in fixed one-minute windows of the app's clock: a burst that straddles two windows is
    // not limited. The test clock moves on to the start of the next minute, so the burst has a whole one.
    const now = t.clock.now().getTime();
    t.clock.set(new Date(now - (now % 60_000) + 60_000));
    const d = await intake('0912 345 681');
    for (let i = 0; i < 3; i++) {
      await say('84970000005', d.code);
    }
    const [warning] = await say('84970000005', d.code);
    assert.match(warning!.text, /Bạn đã tra cứu 3 lần trong một phút/);
    const before = toUser('84970000005').length;
    sendToOa(sandbox(), '84970000005', { text: d.code });
    await drainJobs(t.app.db, work, {
      until: async () => (await lastOutcome()).outcome === 'rate_limited' && (await eventsProcessed()),
    });
    assert.equal(toUser('84970000005').length, before, 'no answer past the warning');
    const [other] = await say('84970000006', d.code);
    assert.match(other!.text, /Tình trạng/, 'other users are not limited');
  });

  it('tells a follower of the dossier about later status changes, by UID', async () => {
    const d = await intake('0912 345 682');
    const follower = '84970000007';
    await say(follower, d.code);
    const [followed] = await say(follower, `#theodoi ${d.code}`);
    assert.match(followed!.text, /Đã đăng ký theo dõi hồ sơ/);
    await transition(d.code, 5, { missingDocuments: ['Bản sao CCCD'], reason: 'Thiếu bản sao' });
    await drainJobs(t.app.db, work, {
      until: async () =>
        (
          await t.app.db
            .selectFrom('notification')
            .select('state')
            .where('dossier_id', '=', d.id)
            .where('channel', '=', 'zalo_uid')
            .execute()
        ).some((n) => n.state === 'sent'),
    });
    const told = toUser(follower).at(-1)!;
    assert.equal(told.kind, 'cs', 'inside the 7-day window: a consultation message');
    assert.match(told.text, /vừa được cập nhật/);
    assert.match(told.text, /Tình trạng: Yêu cầu bổ sung giấy tờ\n/);
    assert.ok(
      !told.text.includes('Nguyễn Văn An') && !told.text.includes('Bản sao CCCD'),
      'public facts only',
    );
    await drainJobs(t.app.db, work);
    const byPhone = sandbox().messages.filter((m) => m.phone === '84912345682' && m.kind === 'zbs_phone');
    assert.equal(byPhone.length, 2, 'the applicant is told by phone as before');
    assert.match(byPhone[1]!.text, /bổ sung/);
    const [unfollowed] = await say(follower, `#botheodoi ${d.code}`);
    assert.match(unfollowed!.text, /Đã bỏ theo dõi/);
    await transition(d.code, 4);
    await drainJobs(t.app.db, work);
    const uidNotifications = await t.app.db
      .selectFrom('notification')
      .select('id')
      .where('dossier_id', '=', d.id)
      .where('channel', '=', 'zalo_uid')
      .execute();
    assert.equal(uidNotifications.length, 1, 'nothing after unfollowing');
  });

  it('does not tell the applicant twice when their own Zalo follows the dossier', async () => {
    const d = await intake('0912 345 683');
    const [followed] = await say('84912345683', `#theodoi ${d.code}`);
    assert.match(followed!.text, /không bị gửi trùng/);
    await transition(d.code, 4);
    await drainJobs(t.app.db, work);
    const channels = (
      await t.app.db.selectFrom('notification').select('channel').where('dossier_id', '=', d.id).execute()
    ).map((n) => n.channel);
    assert.deepEqual(channels, ['zalo_phone', 'zalo_phone']);
  });

  /** A citizen's message as the webhook stores it, waiting for the event processors. */
  let stored = 0;
  const storeMessage = async (uid: string, at: number, text = 'hướng dẫn') => {
    const key = `stored-${Date.now()}-${stored++}`;
    const raw = {
      event_name: 'user_send_text',
      sender: { id: uid },
      message: { text, msg_id: key },
      timestamp: String(at),
    };
    const row = await t.app.db
      .insertInto('zalo_event')
      .values({ dedupe_key: key, event_name: raw.event_name, server: null, raw: JSON.stringify(raw) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  /** Whether a connection of this test's database waits for a lock another one holds. */
  const waitingOnLock = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(t.app.db)
    ).rows[0]!.n > 0;
  const until = async (what: string, predicate: () => Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await predicate())) {
      assert.ok(Date.now() < deadline, what);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const uidOf = (phone: string) =>
    sandbox().messages.find((m) => m.phone === phone && m.direction === 'user_to_oa')!.uid!;

  it("answers messages taken together, one per citizen at a time, recording each sender's latest message", async () => {
    const phones = ['84970000011', '84970000012'];
    for (const phone of phones) {
      await say(phone, 'xin chào');
    }
    const uids = phones.map(uidOf);
    const before = phones.map((p) => toUser(p).length);
    // Three messages waiting at once (as under load), the first user's latest one last.
    const base = Date.now();
    const messages = [
      { uid: uids[0]!, at: base + 1000 },
      { uid: uids[1]!, at: base + 500 },
      { uid: uids[0]!, at: base + 2000 },
    ];
    const ids: number[] = [];
    for (const m of messages) {
      ids.push(await storeMessage(m.uid, m.at));
    }
    assert.equal(await processZaloEvents(t.app), 2, "the first user's second message waits for their first");
    assert.equal(await processZaloEvents(t.app), 1);
    const events = await t.app.db
      .selectFrom('zalo_event')
      .select(['outcome', 'processed_at', 'replied_at'])
      .where('id', 'in', ids)
      .execute();
    assert.deepEqual(
      events.map((e) => [e.outcome, Boolean(e.processed_at), Boolean(e.replied_at)]),
      [
        ['guided', true, true],
        ['guided', true, true],
        ['guided', true, true],
      ],
    );
    assert.deepEqual(
      phones.map((p, i) => toUser(p).length - before[i]!),
      [2, 1],
      'one answer per message',
    );
    const followers = await t.app.db
      .selectFrom('zalo_follower')
      .select(['user_id', 'last_interaction_at'])
      .where('user_id', 'in', uids)
      .orderBy('user_id')
      .execute();
    const latest = new Map(followers.map((f) => [f.user_id, new Date(f.last_interaction_at!).getTime()]));
    assert.equal(latest.get(uids[0]!), base + 2000);
    assert.equal(latest.get(uids[1]!), base + 500);
  });

  it('records and answers the messages one by one when they cannot be recorded together', async () => {
    const phones = ['84970000013', '84970000014'];
    for (const phone of phones) {
      await say(phone, 'xin chào');
    }
    const at = Date.now() + 5000;
    const ids = [await storeMessage(uidOf(phones[0]!), at), await storeMessage(uidOf(phones[1]!), at)];
    assert.equal(
      await refusingBatches(t.app.db, 'zalo_follower', 'update', () => processZaloEvents(t.app)),
      2,
    );
    const outcomes = await t.app.db
      .selectFrom('zalo_event')
      .select('outcome')
      .where('id', 'in', ids)
      .execute();
    assert.deepEqual(
      outcomes.map((e) => e.outcome),
      ['guided', 'guided'],
    );
    const followers = await t.app.db
      .selectFrom('zalo_follower')
      .select('last_interaction_at')
      .where('user_id', 'in', phones.map(uidOf))
      .execute();
    assert.deepEqual(
      followers.map((f) => new Date(f.last_interaction_at!).getTime()),
      [at, at],
    );
  });

  it("answers one citizen's messages in the order they were sent, even when two lanes look at once", async () => {
    const d = await intake('0912 345 690');
    const phone = '84970000015';
    await say(phone, 'xin chào');
    const uid = uidOf(phone);
    const before = toUser(phone).length;
    const at = Date.now();
    // The first answer needs a look-up, the second none: answered in parallel, the guide would go out first.
    const first = await storeMessage(uid, at, `tra cứu ${d.code}`);
    await storeMessage(uid, at + 1, 'hướng dẫn');
    // Two lanes (or nodes) look while another one holds the first message, at the two moments that matter. The
    // overlap is made, not hoped for: two calls started together may run one after the other on a busy machine.
    // 1. Another lane's claim is taking the first message (its row locked): this one skips it, the second waits.
    await t.app.db.transaction().execute(async (tx) => {
      await tx.selectFrom('zalo_event').select('id').where('id', '=', first).forUpdate().execute();
      assert.equal(await processZaloEvents(t.app, 1), 0, 'nothing taken past the locked first message');
    });
    // 2. Another lane claimed the first message and is answering it (held at its look-up, the dossiers locked):
    // this one still takes nothing; the second message is taken once the first is answered.
    const { answering } = await t.app.db.transaction().execute(async (tx) => {
      await sql`lock table dossier in access exclusive mode`.execute(tx);
      const answering = processZaloEvents(t.app, 1);
      await until('the first lane waits mid-answer', waitingOnLock);
      assert.equal(await processZaloEvents(t.app, 1), 0, 'nothing taken while the first is answered');
      return { answering };
    });
    assert.equal(await answering, 1);
    assert.equal(await processZaloEvents(t.app, 1), 1);
    const answers = toUser(phone).slice(before);
    assert.equal(answers.length, 2);
    assert.match(answers[0]!.text, new RegExp(d.code.replaceAll('.', '\\.')));
    assert.match(answers[1]!.text, /Hướng dẫn tra cứu hồ sơ/);
  });
});
