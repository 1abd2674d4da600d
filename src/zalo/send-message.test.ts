import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { dispatchDueZalo, processZaloEvents, sendZaloNotification, zaloSendLane } from '../app-zalo.ts';
import { openDatabase } from '../db/pool.ts';
import { backoffMs } from '../jobs/backoff.ts';
import { startOutboxLane } from '../jobs/lanes.ts';
import { planNotifications } from '../notifications/plan-notifications.ts';
import { planStatusChanges } from '../notifications/status-change-lane.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import type { buildApiKey } from '../test-support/factories.ts';
import { drainJobs } from '../test-support/jobs.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { takeTokens } from './send-rate.ts';
import { ZALO_SEND_BACKOFF } from './send-refusal.ts';
import { forgetCachedToken } from './token-store.ts';

/**
 * The notification pipeline end to end on real PostgreSQL and the in-process Zalo sandbox over real HTTP:
 * status change → notification → ZBS send → signed receipt webhook → delivered.
 */
describe('notification pipeline', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;

  let desk: ZaloDesk;

  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    ({ t, key } = desk);
    t.server.zaloSandbox!.state.options.receiptDelayMs = 10;
  });
  after(() => t.close());
  beforeEach(() => {
    const s = t.server.zaloSandbox!.state;
    s.faults.clear();
    s.counters.clear();
  });

  const sandbox = () => desk.sandbox();
  const work = () => desk.work();
  const intake = (phone = '0912 345 678', notifyByZalo = true) => desk.intake(phone, { notifyByZalo });
  const notifications = (dossierId: number) => desk.notifications(dossierId);
  const settle = (dossierId: number, done: Parameters<ZaloDesk['settle']>[1]) => desk.settle(dossierId, done);

  it('sends the status by ZBS to the phone and marks it delivered from the signed receipt', async () => {
    const d = await intake();
    await settle(d.id, (ns) => ns[0]?.state === 'delivered');
    const [n] = await notifications(d.id);
    assert.equal(n!.channel, 'zalo_phone');
    assert.equal(n!.recipient, '84912345678');
    assert.ok(n!.provider_msg_id);
    assert.ok(n!.sent_at && n!.delivered_at);
    const sent = sandbox().messages.find((m) => m.trackingId?.endsWith(`-${n!.id}`))!;
    assert.equal(sent.templateData?.ma_ho_so, d.code);
    assert.equal(sent.templateData?.trang_thai, 'Được tiếp nhận');
    const api = await t.server.inject({
      url: `/api/v1/dossiers/${d.code}/notifications`,
      headers: { authorization: key.authorization },
    });
    assert.equal(api.json()[0].state, 'delivered');
    assert.equal(api.json()[0].attempts.length, 1);
  });

  it('sends nothing without the opt-in, and never twice for one status change', async () => {
    const quiet = await intake('0912 345 679', false);
    await drainJobs(t.app.db, work);
    assert.equal((await notifications(quiet.id)).length, 0);
    const d = await intake('0912 345 680');
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .select('id')
      .where('dossier_id', '=', d.id)
      .executeTakeFirstOrThrow();
    const event = { dossierId: d.id, journalId: journal.id, fromStatus: null, toStatus: 2 };
    await planNotifications(t.app, event);
    await planNotifications(t.app, event);
    await drainJobs(t.app.db, work);
    assert.equal((await notifications(d.id)).length, 1);
    assert.equal(sandbox().messages.filter((m) => m.phone === '84912345680').length, 1);
  });

  it('fails with a Vietnamese reason when the number is not on Zalo, flagged for the fallbacks', async () => {
    sandbox().phones.set('84987000111', { onZalo: false });
    const d = await intake('0987 000 111');
    await settle(d.id, (ns) => ns[0]?.state === 'failed');
    const [n] = await notifications(d.id);
    assert.equal(n!.error_code, -118);
    assert.equal(n!.error_vi, 'Số điện thoại chưa đăng ký Zalo');
    assert.equal(n!.unreachable, true);
  });

  it('refreshes an expired token once and retries the send', async () => {
    const d = await intake('0912 000 001');
    sandbox().faults.set('zbs.message.template', { errorCode: -124, remaining: 1 });
    await settle(d.id, (ns) => ns[0]?.state === 'delivered' || ns[0]?.state === 'sent');
    assert.equal(sandbox().counters.get('oauth.access_token')?.calls, 1);
    const connection = await t.app.db
      .selectFrom('zalo_connection')
      .select(['status', 'version'])
      .executeTakeFirstOrThrow();
    assert.equal(connection.status, 'connected');
  });

  it('waits, and alerts administrators, while the template is not approved', async () => {
    await desk.withUnapprovedTemplate(async () => {
      const d = await intake('0912 000 002');
      await settle(d.id, (ns) => ns[0]?.state === 'waiting');
      const [n] = await notifications(d.id);
      assert.equal(n!.error_code, -131);
      assert.equal(n!.error_vi, 'Mẫu tin Zalo chưa được duyệt');
      assert.ok(n!.next_attempt_at);
      const alert = await t.app.db
        .selectFrom('app_alert')
        .selectAll()
        .where('key', '=', 'zalo.template:419003')
        .executeTakeFirstOrThrow();
      assert.equal(alert.resolved_at, null);
    });
  });

  it('backs off after HTTP 500 and keeps the message queued', async () => {
    const d = await intake('0912 000 003');
    sandbox().faults.set('zbs.message.template', { http500: true });
    await settle(d.id, (ns) => (ns[0]?.attempts ?? 0) >= 1);
    const [n] = await notifications(d.id);
    assert.equal(n!.state, 'queued');
    // The backoff is the policy's, to the millisecond: the test app's jitter is the middle of its spread.
    const retryAt = new Date(n!.next_attempt_at!).getTime();
    assert.equal(
      retryAt - new Date(n!.updated_at).getTime(),
      backoffMs(ZALO_SEND_BACKOFF, n!.attempts, t.app.random),
    );
    sandbox().faults.clear();
    // A minute before the retry time by the app's clock, whatever the time this test takes.
    t.clock.set(new Date(retryAt - 60_000));
    try {
      assert.equal(await sendZaloNotification(t.app, n!.id), 'skipped', 'not before the backoff ends');
    } finally {
      t.clock.set(new Date());
    }
    await t.app.db
      .updateTable('notification')
      .set({ next_attempt_at: new Date() })
      .where('id', '=', n!.id)
      .execute();
    assert.equal(await sendZaloNotification(t.app, n!.id), 'sent');
  });

  it('supersedes an older unsent message when a newer status is waiting', async () => {
    sandbox().faults.set('zbs.message.template', { http500: true });
    const d = await intake('0912 000 004');
    await settle(d.id, (ns) => (ns[0]?.attempts ?? 0) >= 1);
    await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${d.code}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 4 },
    });
    sandbox().faults.clear();
    await settle(d.id, (ns) => ns.length === 2 && ns[1]!.state !== 'queued');
    const [older, newer] = await notifications(d.id);
    assert.equal(older!.state, 'superseded');
    assert.ok(['sent', 'delivered'].includes(newer!.state));
    assert.equal(sandbox().messages.filter((m) => m.phone === '84912000004').length, 1);
  });

  it('holds a newer message back while an older one of the same dossier is being sent', async () => {
    const planOnly = () => planStatusChanges(t.app).then(() => undefined);
    const d = await intake('0912 000 005');
    await drainJobs(t.app.db, planOnly, { until: async () => (await notifications(d.id)).length === 1 });
    const [older] = await notifications(d.id);
    // Another node has claimed the older message and is calling Zalo.
    const claim = (until: Date | null) =>
      t.app.db
        .updateTable('notification')
        .set({ claimed_until: until })
        .where('id', '=', older!.id)
        .execute();
    await claim(new Date(Date.now() + 10_000));
    await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${d.code}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 4 },
    });
    await drainJobs(t.app.db, planOnly, { until: async () => (await notifications(d.id)).length === 2 });
    await dispatchDueZalo(t.app);
    const sentTo = () => sandbox().messages.filter((m) => m.phone === '84912000005').length;
    assert.equal(sentTo(), 0, 'the newer one waits for the call to end');
    assert.equal((await notifications(d.id))[1]!.state, 'queued');
    // The other node recorded its call: the newer message goes out now.
    await claim(null);
    await dispatchDueZalo(t.app);
    assert.equal(sentTo(), 1);
    assert.ok(['sent', 'delivered'].includes((await notifications(d.id))[1]!.state));
  });

  it("wakes the node's dispatcher when a message is planned, and takes rate tokens by the batch", async () => {
    const dispatcher = startOutboxLane(t.app, t.db.pool, zaloSendLane);
    try {
      const d = await intake('0912 000 006');
      await planStatusChanges(t.app);
      const deadline = Date.now() + 5_000;
      while (!['sent', 'delivered'].includes((await notifications(d.id))[0]?.state ?? '')) {
        assert.ok(Date.now() < deadline, 'sent by the running dispatcher');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await dispatcher.stop();
    }
    const first = await takeTokens(t.app.db, 'test-bucket', 5, 3, 1);
    assert.deepEqual(first.granted, 3);
    assert.ok(first.waitSeconds > 0.5 && first.waitSeconds <= 1);
    const second = await takeTokens(t.app.db, 'test-bucket', 2, 3, 1);
    assert.equal(second.granted, 0);
  });

  it('simulates reserved test recipients without calling Zalo', async () => {
    const calls = () => sandbox().counters.get('zbs.message.template')?.calls ?? 0;
    const before = calls();
    const ok = await intake('0900 000 001');
    const notOnZalo = await intake('0900 000 045');
    await settle(notOnZalo.id, (ns) => ns[0]?.state === 'failed');
    await settle(ok.id, (ns) => ns[0]?.state === 'delivered');
    assert.equal(calls(), before);
  });

  it('lets one node refresh while fifty sends on two nodes wait for it', async () => {
    const second = openDatabase(t.db.url, { max: 10 });
    const node2: AppContext = { ...t.app, db: second.db };
    try {
      const dossiers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => intake(`0912 1${String(i).padStart(2, '0')} 000`)),
      );
      await drainJobs(
        t.app.db,
        async () => {
          // Plan only: the sends below race each other.
          await planStatusChanges(t.app);
        },
        {
          until: async () =>
            (
              await t.app.db
                .selectFrom('notification')
                .select(sql<number>`count(*)::int`.as('n'))
                .where(
                  'dossier_id',
                  'in',
                  dossiers.map((d) => d.id),
                )
                .executeTakeFirstOrThrow()
            ).n === 50,
        },
      );
      await t.app.db
        .updateTable('zalo_connection')
        .set({ access_expires_at: new Date(Date.now() - 1000) })
        .execute();
      forgetCachedToken(t.app);
      const before = sandbox().counters.get('oauth.access_token')?.calls ?? 0;
      const ids = await t.app.db
        .selectFrom('notification')
        .select('id')
        .where(
          'dossier_id',
          'in',
          dossiers.map((d) => d.id),
        )
        .execute();
      const results = await Promise.all(ids.map((n, i) => sendZaloNotification(i % 2 ? node2 : t.app, n.id)));
      assert.equal(results.filter((r) => r === 'sent').length, 50);
      assert.equal((sandbox().counters.get('oauth.access_token')?.calls ?? 0) - before, 1);
      assert.equal(
        sandbox().counters.get('oauth.access_token')?.rejections ?? 0,
        0,
        'no refresh token was reused',
      );
    } finally {
      await second.close();
    }
  });
});

describe('POST /webhooks/zalo', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const sign = (body: string, timestamp: string) =>
    `mac=${createHash('sha256')
      .update(t.app.config.zalo.appId! + body + timestamp + t.app.config.zalo.oaSecretKey!)
      .digest('hex')}`;
  const post = (body: string, signature?: string) =>
    t.server.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-zevent-signature': signature } : {}),
      },
      payload: body,
    });
  const count = async () =>
    (
      await t.app.db
        .selectFrom('zalo_event')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('stores a signed event once, whatever the replays', async () => {
    const body = JSON.stringify({
      app_id: t.app.config.zalo.appId,
      event_name: 'user_send_text',
      sender: { id: '1234' },
      message: { text: 'hi', msg_id: 'm1' },
      timestamp: '1787209817225',
    });
    const before = await count();
    for (let i = 0; i < 3; i++) {
      assert.equal((await post(body, sign(body, '1787209817225'))).statusCode, 200);
    }
    assert.equal((await count()) - before, 1);
  });

  it('stores events that arrive together by one statement, each once, and a bad one fails alone', async () => {
    const event = (i: number, text = 'hi') =>
      JSON.stringify({
        app_id: t.app.config.zalo.appId,
        event_name: 'user_send_text',
        sender: { id: '4321' },
        message: { text, msg_id: `together-${i}` },
        timestamp: String(1787209900000 + i),
      });
    const postAll = (bodies: string[]) =>
      Promise.all(bodies.map((b) => post(b, sign(b, JSON.parse(b).timestamp)).then((a) => a.statusCode)));
    const stored = async (from: number, to: number) =>
      (
        await sql<{ n: number; transactions: number }>`
          select count(*)::int as n, count(distinct xmin::text)::int as transactions from zalo_event
          where (raw -> 'message' ->> 'msg_id') in (
            select 'together-' || i from generate_series(${from}::int, ${to}::int) i)`.execute(t.app.db)
      ).rows[0]!;
    const together = [...Array.from({ length: 20 }, (_, i) => event(i)), event(3), event(3)];
    assert.deepEqual(
      await postAll(together),
      together.map(() => 200),
    );
    const first = await stored(0, 19);
    assert.equal(first.n, 20, 'each event once');
    assert.ok(first.transactions <= 10, `stored together (${first.transactions} commits)`);
    // PostgreSQL cannot store a NUL character or half a surrogate pair in jsonb: such an event is kept all the
    // same, those characters replaced (a refused one would be lost: Zalo does not send it again).
    const withOdd = [
      ...Array.from({ length: 5 }, (_, i) => event(20 + i)),
      event(99, 'nul \u0000 and \ud800'),
    ];
    assert.deepEqual(await postAll(withOdd), [200, 200, 200, 200, 200, 200]);
    assert.equal((await stored(20, 99)).n, 6);
    const odd = await sql<{ text: string }>`
      select raw -> 'message' ->> 'text' as text from zalo_event where raw -> 'message' ->> 'msg_id' = 'together-99'`.execute(
      t.app.db,
    );
    assert.equal(odd.rows[0]?.text, 'nul \uFFFD and \uFFFD');
  });

  it('refuses bad or missing signatures, malformed JSON and oversized bodies, storing nothing', async () => {
    const before = await count();
    const body = JSON.stringify({ event_name: 'follow', follower: { id: '9' }, timestamp: '1' });
    assert.equal((await post(body)).statusCode, 401);
    assert.equal((await post(body, `mac=${'0'.repeat(64)}`)).statusCode, 401);
    assert.equal((await post(body.replace('"9"', '"10"'), sign(body, '1'))).statusCode, 401);
    assert.equal((await post('{not json', sign('{not json', ''))).statusCode, 400);
    assert.equal((await post(`{"x":"${'a'.repeat(1_100_000)}"}`)).statusCode, 413);
    assert.equal(await count(), before);
  });

  it('stores and ignores events it does not know', async () => {
    const body = JSON.stringify({ event_name: 'user_reacted_message', sender: { id: '7' }, timestamp: '2' });
    assert.equal((await post(body, sign(body, '2'))).statusCode, 200);
    // The events of the tests above are processed with it.
    while ((await processZaloEvents(t.app)) > 0) {}
    const e = await t.app.db
      .selectFrom('zalo_event')
      .selectAll()
      .where('event_name', '=', 'user_reacted_message')
      .executeTakeFirstOrThrow();
    assert.equal(e.outcome, 'ignored');
    assert.ok(e.processed_at);
  });
});
