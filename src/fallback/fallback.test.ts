import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DEFAULT_FALLBACK_POLICY, type TFallbackPolicy } from '../contracts/fallback.ts';
import { stopMailCatcher } from '../email/send-email.ts';
import { loginCookie, type TestApp } from '../test-support/app.ts';
import { buildAgency, type buildApiKey, buildOfficer } from '../test-support/factories.ts';
import { drainJobs, queuedJobs } from '../test-support/jobs.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { processZaloEvent } from '../zalo/event-task.ts';
import { webhookMac } from '../zalo-sandbox/webhooks.ts';
import { checkDelivery, FALLBACK_CHECK_TASK, planFallbacks } from './plan-fallback.ts';
import { FALLBACK_MAX_ATTEMPTS, sendFallback } from './send-fallback.ts';

/**
 * Fallback channels end to end on real PostgreSQL, through the in-process Zalo sandbox, the SMS sandbox and
 * the mail catcher (real SMTP over loopback): Zalo outcome → SMS / email → delivered, exactly once.
 */
describe('fallback channels', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let admin: string;

  let desk: ZaloDesk;

  before(async () => {
    desk = await createZaloDesk({ now: new Date().toISOString() });
    ({ t, key } = desk);
    const officer = await buildOfficer(t.app, desk.agencyId, 'admin');
    admin = await loginCookie(t.server, officer.username, officer.password);
    // Receipts only when a test sends one: the fallback timer is what is under test.
    t.server.zaloSandbox!.state.options.receiptDelayMs = 3_600_000;
  });
  after(async () => {
    await stopMailCatcher(t.app.db);
    await t.close();
  });
  // Quiet hours off by default so that the tests do not depend on the hour they run at.
  beforeEach(() => savePolicy({ sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: quietOff } }));

  const quietOff = { enabled: false, start: '21:00', end: '07:00' };
  const sandbox = () => desk.sandbox();
  const work = () => desk.work();
  /**
   * Runs `test` with quiet hours 21:00–07:00 on and the clock at 22:00 tomorrow in Vietnam, so that the end of
   * the quiet hours (07:00 the day after) is in the future for the database too; the clock is put back after.
   */
  const duringQuietNight = async (test: (day: string) => Promise<void>) => {
    await savePolicy({
      sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: { enabled: true, start: '21:00', end: '07:00' } },
    });
    const saved = t.app.clock();
    const day = new Date(saved.getTime() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    t.clock.set(`${day}T22:00:00+07:00`);
    try {
      await test(day);
    } finally {
      t.clock.set(saved);
    }
  };
  const savePolicy = async (change: Partial<TFallbackPolicy>) => {
    const res = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/fallback-policy',
      headers: { cookie: admin },
      payload: { ...DEFAULT_FALLBACK_POLICY, ...change },
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  const intake = (phone: string, extra: { email?: string; notifyByZalo?: boolean } = {}) =>
    desk.intake(phone, extra);
  const notifications = (dossierId: number) => desk.notifications(dossierId);
  const byChannel = async (dossierId: number, channel: string) =>
    (await notifications(dossierId)).filter((n) => n.channel === channel);
  const settle = (dossierId: number, done: Parameters<ZaloDesk['settle']>[1]) => desk.settle(dossierId, done);
  /** Runs the delivery checks now instead of in N minutes (graphile-worker compares with the database clock). */
  const makeChecksDue = () =>
    sql`update graphile_worker._private_jobs set run_at = now()
        where task_id = (select id from graphile_worker._private_tasks where identifier = ${FALLBACK_CHECK_TASK})`.execute(
      t.app.db,
    );
  /** Zalo's signed delivery receipt, through the real webhook route. */
  const receipt = async (zaloNotificationId: number, phone: string) => {
    const o = sandbox().options;
    const timestamp = String(Date.now());
    const body = JSON.stringify({
      app_id: o.appId,
      event_name: 'user_received_message',
      sender: { id: o.oaId },
      recipient: { id: phone },
      message: {
        delivery_time: timestamp,
        msg_id: `m${zaloNotificationId}`,
        tracking_id: String(zaloNotificationId),
      },
      timestamp,
    });
    const res = await t.server.inject({
      method: 'POST',
      url: '/webhooks/zalo',
      headers: {
        'content-type': 'application/json',
        'x-zevent-signature': `mac=${webhookMac(o.appId, body, timestamp, o.oaSecretKey)}`,
      },
      payload: body,
    });
    assert.equal(res.statusCode, 200);
    return t.app.db
      .selectFrom('zalo_event')
      .select('id')
      .where('dedupe_key', '=', `user_received_message:m${zaloNotificationId}`)
      .executeTakeFirstOrThrow();
  };

  it('texts and emails a citizen whose number is not on Zalo, linked to the failed Zalo message', async () => {
    sandbox().phones.set('84987000201', { onZalo: false });
    const d = await intake('0987 000 201', { email: 'nguyen.an@example.vn' });
    await settle(
      d.id,
      (ns) =>
        ns.some((n) => n.channel === 'sms' && n.state === 'delivered') &&
        ns.some((n) => n.channel === 'email' && n.state === 'sent'),
    );
    const [zalo, sms, email] = await notifications(d.id);
    assert.equal(zalo!.channel, 'zalo_phone');
    assert.equal(zalo!.state, 'failed');
    assert.equal(sms!.replaces_notification_id, zalo!.id);
    assert.equal(sms!.fallback_reason, 'not_on_zalo');
    assert.equal(sms!.recipient, '84987000201');
    assert.equal(sms!.sms_encoding, 'gsm7');
    assert.equal(sms!.sms_segments, 1);
    assert.match(
      sms!.rendered,
      new RegExp(
        `^Ho so ${d.code.replaceAll('.', '\\.')} da duoc tiep nhan\\. Hen tra ket qua ngay \\d\\d/\\d\\d/\\d{4}\\.$`,
      ),
    );
    const phoneSms = await t.server.inject({
      url: '/sandbox/api/sms?phone=0987000201',
      headers: { cookie: admin },
    });
    assert.deepEqual(
      phoneSms.json().map((m: { text: string; segments: number }) => [m.text, m.segments]),
      [[sms!.rendered, 1]],
    );

    assert.equal(email!.replaces_notification_id, zalo!.id);
    const mail = await t.app.db
      .selectFrom('sandbox_mail')
      .selectAll()
      .where('rcpt_to', '@>', sql<string[]>`array['nguyen.an@example.vn']`)
      .executeTakeFirstOrThrow();
    assert.equal(mail.subject, `Hồ sơ ${d.code}: Đã tiếp nhận`);
    assert.match(mail.text_body, /Kính gửi ông\/bà Nguyễn Văn An,/);
    assert.match(mail.html_body ?? '', /Tra cứu tình trạng hồ sơ/);
    const page = await t.server.inject({ url: `/sandbox/mail/${mail.id}`, headers: { cookie: admin } });
    assert.match(page.body, new RegExp(`Hồ sơ ${d.code.replaceAll('.', '\\.')}`));

    const timeline = await t.server.inject({
      url: `/api/v1/dossiers/${d.code}/notifications`,
      headers: { authorization: key.authorization },
    });
    const chain = timeline.json() as {
      channel: string;
      state: string;
      replacesId: number | null;
      fallbackReason: string | null;
    }[];
    assert.deepEqual(
      chain.map((n) => [n.channel, n.state, n.replacesId, n.fallbackReason]),
      [
        ['zalo_phone', 'failed', null, null],
        ['sms', 'delivered', zalo!.id, 'not_on_zalo'],
        ['email', 'sent', zalo!.id, 'not_on_zalo'],
      ],
    );
  });

  it('sends at most one fallback per status change and channel, whatever triggers it', async () => {
    sandbox().phones.set('84987000202', { onZalo: false });
    const d = await intake('0987 000 202');
    await settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.state === 'delivered'));
    const [zalo] = await notifications(d.id);
    for (const reason of ['not_on_zalo', 'failed', 'not_delivered'] as const) {
      const again = await t.app.db
        .transaction()
        .execute((tx) =>
          planFallbacks(tx, t.app, { journalId: zalo!.journal_id, replacesId: zalo!.id, reason }),
        );
      assert.deepEqual(again, []);
    }
    await assert.rejects(
      t.app.db
        .insertInto('notification')
        .values({
          dossier_id: d.id,
          journal_id: zalo!.journal_id,
          journal_seq: zalo!.journal_seq,
          channel: 'sms',
          recipient: '84987000999',
          template_key: 'fallback.sms',
          state: 'queued',
          payload: '{}',
          sms_encoding: 'gsm7',
          sms_segments: 1,
        })
        .execute(),
      /notification_fallback_once/,
    );
    await drainJobs(t.app.db, work);
    assert.equal((await byChannel(d.id, 'sms')).length, 1);
    const texts = await t.app.db
      .selectFrom('sandbox_sms')
      .select('id')
      .where('phone', '=', '84987000202')
      .execute();
    assert.equal(texts.length, 1);
  });

  it('sends nothing more when the Zalo receipt arrives just before the fallback timer', async () => {
    const d = await intake('0912 300 001', { email: 'tran.b@example.vn' });
    await settle(d.id, (ns) => ns[0]?.state === 'sent');
    const [zalo] = await notifications(d.id);
    const check = (await queuedJobs(t.app.db, FALLBACK_CHECK_TASK)).find(
      (j) => j.key === `fallback-check:${zalo!.id}`,
    );
    assert.ok(check, 'a delivery check is scheduled');
    const runAt = await sql<{
      run_at: Date;
    }>`select run_at from graphile_worker._private_jobs where key = ${check.key}`.execute(t.app.db);
    assert.equal(
      new Date(runAt.rows[0]!.run_at).getTime() - new Date(zalo!.sent_at!).getTime(),
      DEFAULT_FALLBACK_POLICY.notDeliveredMinutes * 60_000,
    );

    await receipt(zalo!.id, '84912300001');
    await settle(d.id, (ns) => ns[0]?.state === 'delivered');
    await makeChecksDue();
    await drainJobs(t.app.db, work);
    assert.deepEqual(
      (await notifications(d.id)).map((n) => [n.channel, n.state]),
      [['zalo_phone', 'delivered']],
    );
    assert.equal(await checkDelivery(t.app, zalo!.id), 'delivered');
  });

  it('texts the citizen when Zalo accepted the message but no receipt came in time', async () => {
    const d = await intake('0912 300 002');
    await settle(d.id, (ns) => ns[0]?.state === 'sent');
    await makeChecksDue();
    await settle(d.id, (ns) => ns[1]?.state === 'delivered');
    const [zalo, sms] = await notifications(d.id);
    assert.equal(sms!.channel, 'sms');
    assert.equal(sms!.fallback_reason, 'not_delivered');
    assert.equal(sms!.replaces_notification_id, zalo!.id);
    // A late receipt still marks the Zalo message, and sends nothing more.
    await receipt(zalo!.id, '84912300002');
    await settle(d.id, (ns) => ns[0]?.state === 'delivered');
    assert.equal((await notifications(d.id)).length, 2);
  });

  it('texts the citizen when the Zalo message cannot leave in time (template not approved)', async () => {
    await desk.withUnapprovedTemplate(async () => {
      const d = await intake('0912 300 009');
      await settle(d.id, (ns) => ns[0]?.state === 'waiting');
      const [zalo] = await notifications(d.id);
      const [job] = (
        await sql<{ run_at: Date }>`select run_at from graphile_worker._private_jobs
          where key = ${`fallback-check:${zalo!.id}`}`.execute(t.app.db)
      ).rows;
      assert.equal(
        new Date(job!.run_at).getTime() - new Date(zalo!.created_at).getTime(),
        DEFAULT_FALLBACK_POLICY.notDeliveredMinutes * 60_000,
        'counted from the status change',
      );
      await makeChecksDue();
      await settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.state === 'delivered'));
      const sms = (await notifications(d.id)).find((n) => n.channel === 'sms')!;
      assert.equal(sms.fallback_reason, 'not_delivered');
      assert.equal(sms.replaces_notification_id, zalo!.id);
    });
  });

  it('never both delivers by Zalo and texts when the receipt and the timer meet', async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const phone = `84912310${String(i).padStart(3, '0')}`;
      const d = await intake(`0${phone.slice(2)}`);
      await settle(d.id, (ns) => ns[0]?.state === 'sent');
      const [zalo] = await notifications(d.id);
      const event = await receipt(zalo!.id, phone);
      // Both at once, outside the worker: the row lock decides.
      const [check] = await Promise.all([checkDelivery(t.app, zalo!.id), processZaloEvent(t.app, event.id)]);
      outcomes.add(check);
      const sms = await byChannel(d.id, 'sms');
      assert.equal(sms.length, check === 'planned' ? 1 : 0, `check ${check}`);
      await drainJobs(t.app.db, work);
      const after = await notifications(d.id);
      assert.equal(after[0]!.state, 'delivered');
      // A fallback planned a moment before the receipt stands down before it is sent.
      assert.deepEqual(
        after.slice(1).map((n) => [n.channel, n.state]),
        check === 'planned' ? [['sms', 'cancelled']] : [],
      );
      const texts = await t.app.db
        .selectFrom('sandbox_sms')
        .select('id')
        .where('phone', '=', phone)
        .execute();
      assert.equal(texts.length, 0);
    }
    assert.ok(outcomes.size >= 1);
  });

  it('retries a failing SMS gateway with backoff, then fails with the reason', async () => {
    // 0900 000 085: Zalo test recipient "failed"; SMS sandbox test number "gateway down" (HTTP 503).
    const d = await intake('0900 000 085');
    await settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.attempts === 1));
    const [sms] = await byChannel(d.id, 'sms');
    assert.equal(sms!.fallback_reason, 'failed');
    assert.equal(sms!.state, 'queued');
    assert.equal(sms!.error_vi, 'Cổng SMS đang lỗi, sẽ gửi lại');
    const delays: number[] = [new Date(sms!.next_attempt_at!).getTime() - t.app.clock().getTime()];
    let result = '';
    for (let i = 1; i < FALLBACK_MAX_ATTEMPTS; i++) {
      result = await sendFallback(t.app, sms!.id);
      const [now] = await byChannel(d.id, 'sms');
      if (now?.next_attempt_at) {
        delays.push(new Date(now.next_attempt_at).getTime() - t.app.clock().getTime());
      }
    }
    assert.equal(result, 'failed');
    assert.deepEqual(delays, [30_000, 120_000, 480_000, 1_920_000]);
    const [failed] = await byChannel(d.id, 'sms');
    assert.equal(failed!.state, 'failed');
    assert.equal(failed!.error_code, 503);
    assert.match(failed!.error_message!, /SMS gateway HTTP 503/);
    assert.equal(failed!.error_vi, `Không gửi được SMS sau ${FALLBACK_MAX_ATTEMPTS} lần thử (cổng SMS lỗi)`);
    assert.ok(failed!.failed_at);
    const attempts = await t.app.db
      .selectFrom('notification_attempt')
      .selectAll()
      .where('notification_id', '=', sms!.id)
      .execute();
    assert.equal(attempts.length, FALLBACK_MAX_ATTEMPTS);
    assert.ok(attempts.every((a) => a.outcome === 'transient' && a.error_code === 503));
    assert.equal(await sendFallback(t.app, sms!.id), 'skipped');
    const stats = await t.server.inject({
      url: '/api/admin/notifications/stats?channel=sms',
      headers: { cookie: admin },
    });
    const reasons = (stats.json() as { failures: { reason: string }[] }).failures.map((f) => f.reason);
    assert.ok(reasons.includes(failed!.error_vi!));
    assert.ok(
      !reasons.includes('Zalo từ chối tin nhắn (mẫu tin hoặc dữ liệu không hợp lệ)'),
      'only SMS failures',
    );
  });

  it('fails at once when the gateway refuses the number', async () => {
    const d = await intake('0900 000 095');
    await settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.state === 'failed'));
    const [sms] = await byChannel(d.id, 'sms');
    assert.equal(sms!.attempts, 1);
    assert.equal(sms!.error_vi, 'Cổng SMS từ chối tin nhắn');
    assert.match(sms!.error_message!, /refused/);
  });

  it('holds an SMS during quiet hours and sends it when they end, never dropping it', async () => {
    await duringQuietNight(async (day) => {
      sandbox().phones.set('84987000203', { onZalo: false });
      const d = await intake('0987 000 203');
      await settle(d.id, (ns) => ns.some((n) => n.channel === 'sms'));
      const [sms] = await byChannel(d.id, 'sms');
      const end = new Date(new Date(`${day}T07:00:00+07:00`).getTime() + 86_400_000);
      assert.equal(sms!.state, 'queued');
      assert.equal(new Date(sms!.next_attempt_at!).getTime(), end.getTime());
      assert.equal(sms!.error_vi, 'Giờ yên lặng (21:00–07:00): SMS sẽ được gửi lúc 07:00');
      const job = (await queuedJobs(t.app.db, 'fallback.send')).find((j) => j.key === `fallback:${sms!.id}`);
      assert.ok(job);
      // Run early (still quiet): postponed again, not sent.
      assert.equal(await sendFallback(t.app, sms!.id), 'retry');
      t.clock.set(end);
      assert.equal(await sendFallback(t.app, sms!.id), 'delivered');
    });
  });

  it('drops a held SMS about an older status once a newer status reached the citizen by Zalo', async () => {
    await duringQuietNight(async (day) => {
      sandbox().phones.set('84987000206', { onZalo: false });
      const d = await intake('0987 000 206');
      await settle(d.id, (ns) => ns.some((n) => n.channel === 'sms'));
      // The citizen installs Zalo; the next status reaches them there.
      sandbox().phones.set('84987000206', { onZalo: true });
      const moved = await t.server.inject({
        method: 'POST',
        url: `/api/v1/dossiers/${d.code}/transitions`,
        headers: { authorization: key.authorization },
        payload: { to: 4 },
      });
      assert.equal(moved.statusCode, 200, moved.body);
      await settle(d.id, (ns) => ns.some((n) => n.channel === 'zalo_phone' && n.state === 'sent'));
      const newer = (await byChannel(d.id, 'zalo_phone')).find((n) => n.state === 'sent')!;
      await receipt(newer.id, '84987000206');
      await settle(d.id, (ns) => ns.some((n) => n.id === newer.id && n.state === 'delivered'));
      const [held] = await byChannel(d.id, 'sms');
      t.clock.set(new Date(new Date(`${day}T07:00:00+07:00`).getTime() + 86_400_000));
      assert.equal(await sendFallback(t.app, held!.id), 'skipped');
      assert.equal((await byChannel(d.id, 'sms'))[0]!.state, 'superseded');
    });
  });

  it('follows the policy: statuses, triggers and citizens without Zalo', async () => {
    await savePolicy({ statuses: [4], sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: quietOff } });
    sandbox().phones.set('84987000204', { onZalo: false });
    const d = await intake('0987 000 204');
    await settle(d.id, (ns) => ns[0]?.state === 'failed');
    await drainJobs(t.app.db, work);
    assert.equal((await notifications(d.id)).length, 1, 'status 2 is not in the policy');

    await savePolicy({ triggers: ['failed'], sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: quietOff } });
    sandbox().phones.set('84987000205', { onZalo: false });
    const e = await intake('0987 000 205');
    await settle(e.id, (ns) => ns[0]?.state === 'failed');
    await drainJobs(t.app.db, work);
    assert.equal((await notifications(e.id)).length, 1, '"not on Zalo" is not a trigger');

    const quiet = await intake('0912 300 003', { notifyByZalo: false });
    await drainJobs(t.app.db, work);
    assert.equal((await notifications(quiet.id)).length, 0, 'no opt-in, withoutZalo off');
    await savePolicy({ withoutZalo: true, sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: quietOff } });
    const direct = await intake('0912 300 004', { notifyByZalo: false });
    await settle(direct.id, (ns) => ns[0]?.state === 'delivered');
    const [sms] = await notifications(direct.id);
    assert.equal(sms!.channel, 'sms');
    assert.equal(sms!.fallback_reason, 'no_zalo');
    assert.equal(sms!.replaces_notification_id, null);
  });

  it('lets administrators change the policy, with Vietnamese validation messages and an audit record', async () => {
    const res = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/fallback-policy',
      headers: { cookie: admin },
      payload: {
        ...DEFAULT_FALLBACK_POLICY,
        sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: { enabled: true, start: '22:00', end: '22:00' } },
      },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().userMessage, 'Giờ bắt đầu và kết thúc khung giờ yên lặng phải khác nhau.');
    await savePolicy({ notDeliveredMinutes: 45 });
    const view = await t.server.inject({ url: '/api/admin/fallback-policy', headers: { cookie: admin } });
    assert.equal(view.json().policy.notDeliveredMinutes, 45);
    assert.equal(view.json().isDefault, false);
    assert.deepEqual(view.json().providers, { sms: 'sandbox', email: 'catcher' });
    const audit = await t.app.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'fallback_policy.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal((audit.data as unknown as { after: TFallbackPolicy }).after.notDeliveredMinutes, 45);
    const agency = await buildAgency(t.app);
    const officer = await buildOfficer(t.app, agency.id, 'desk_officer');
    const cookie = await loginCookie(t.server, officer.username, officer.password);
    const forbidden = await t.server.inject({ url: '/api/admin/fallback-policy', headers: { cookie } });
    assert.equal(forbidden.statusCode, 403);
  });
});
