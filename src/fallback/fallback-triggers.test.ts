import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { processOneZaloEvent } from '../app-zalo.ts';
import { DEFAULT_FALLBACK_POLICY } from '../contracts/fallback.ts';
import { createFallbackDesk, type FallbackDesk } from '../test-support/fallback-desk.ts';
import { drainJobs, queuedJobs } from '../test-support/jobs.ts';
import { checkDelivery, FALLBACK_CHECK_TASK, planFallbacks } from './plan-fallback.ts';

/**
 * Fallback channels end to end on real PostgreSQL, through the in-process Zalo sandbox, the SMS sandbox and
 * the mail catcher (real SMTP over loopback): which Zalo outcome leads to an SMS / email, exactly once, and
 * the race between the delivery receipt and the fallback timer.
 */
describe('fallback channels: triggers', () => {
  let f: FallbackDesk;
  before(async () => {
    f = await createFallbackDesk();
  });
  after(() => f.close());
  beforeEach(() => f.quietHoursOff());

  it('texts and emails a citizen whose number is not on Zalo, linked to the failed Zalo message', async () => {
    f.sandbox().phones.set('84987000201', { onZalo: false });
    const d = await f.intake('0987 000 201', { email: 'nguyen.an@example.vn' });
    await f.settle(
      d.id,
      (ns) =>
        ns.some((n) => n.channel === 'sms' && n.state === 'delivered') &&
        ns.some((n) => n.channel === 'email' && n.state === 'sent'),
    );
    const [zalo, sms, email] = await f.notifications(d.id);
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
    const phoneSms = await f.t.server.inject({
      url: '/sandbox/api/sms?phone=0987000201',
      headers: { cookie: f.admin },
    });
    assert.deepEqual(
      phoneSms.json().map((m: { text: string; segments: number }) => [m.text, m.segments]),
      [[sms!.rendered, 1]],
    );

    assert.equal(email!.replaces_notification_id, zalo!.id);
    const mail = await f.t.app.db
      .selectFrom('sandbox_mail')
      .selectAll()
      .where('rcpt_to', '@>', sql<string[]>`array['nguyen.an@example.vn']`)
      .executeTakeFirstOrThrow();
    assert.equal(mail.subject, `Hồ sơ ${d.code}: Được tiếp nhận`);
    assert.match(mail.text_body, /Kính gửi ông\/bà Nguyễn Văn An,/);
    assert.match(mail.html_body ?? '', /Tra cứu tình trạng hồ sơ/);
    const page = await f.t.server.inject({ url: `/sandbox/mail/${mail.id}`, headers: { cookie: f.admin } });
    assert.match(page.body, new RegExp(`Hồ sơ ${d.code.replaceAll('.', '\\.')}`));

    const timeline = await f.t.server.inject({
      url: `/api/v1/dossiers/${d.code}/notifications`,
      headers: { authorization: f.key.authorization },
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
    f.sandbox().phones.set('84987000202', { onZalo: false });
    const d = await f.intake('0987 000 202');
    await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.state === 'delivered'));
    const [zalo] = await f.notifications(d.id);
    for (const reason of ['not_on_zalo', 'failed', 'not_delivered'] as const) {
      const again = await f.t.app.db
        .transaction()
        .execute((tx) =>
          planFallbacks(tx, f.t.app, { journalId: zalo!.journal_id, replacesId: zalo!.id, reason }),
        );
      assert.deepEqual(again, []);
    }
    await assert.rejects(
      f.t.app.db
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
    await drainJobs(f.t.app, f.work);
    assert.equal((await f.byChannel(d.id, 'sms')).length, 1);
    const texts = await f.t.app.db
      .selectFrom('sandbox_sms')
      .select('id')
      .where('phone', '=', '84987000202')
      .execute();
    assert.equal(texts.length, 1);
  });

  it('sends nothing more when the Zalo receipt arrives just before the fallback timer', async () => {
    const d = await f.intake('0912 300 001', { email: 'tran.b@example.vn' });
    await f.settle(d.id, (ns) => ns[0]?.state === 'sent');
    const [zalo] = await f.notifications(d.id);
    const check = (await queuedJobs(f.t.app.db, FALLBACK_CHECK_TASK)).find(
      (j) => j.key === `fallback-check:${zalo!.id}`,
    );
    assert.ok(check, 'a delivery check is scheduled');
    assert.equal(
      new Date(check.run_at).getTime() - new Date(zalo!.sent_at!).getTime(),
      DEFAULT_FALLBACK_POLICY.notDeliveredMinutes * 60_000,
    );

    await f.receipt(zalo!.id, '84912300001');
    await f.settle(d.id, (ns) => ns[0]?.state === 'delivered');
    await f.makeChecksDue();
    await drainJobs(f.t.app, f.work);
    assert.deepEqual(
      (await f.notifications(d.id)).map((n) => [n.channel, n.state]),
      [['zalo_phone', 'delivered']],
    );
    assert.equal(await checkDelivery(f.t.app, zalo!.id), 'delivered');
  });

  it('texts the citizen when Zalo accepted the message but no receipt came in time', async () => {
    const d = await f.intake('0912 300 002');
    await f.settle(d.id, (ns) => ns[0]?.state === 'sent');
    await f.makeChecksDue();
    await f.settle(d.id, (ns) => ns[1]?.state === 'delivered');
    const [zalo, sms] = await f.notifications(d.id);
    assert.equal(sms!.channel, 'sms');
    assert.equal(sms!.fallback_reason, 'not_delivered');
    assert.equal(sms!.replaces_notification_id, zalo!.id);
    // A late receipt still marks the Zalo message, and sends nothing more.
    await f.receipt(zalo!.id, '84912300002');
    await f.settle(d.id, (ns) => ns[0]?.state === 'delivered');
    assert.equal((await f.notifications(d.id)).length, 2);
  });

  it('texts the citizen when the Zalo message cannot leave in time (template not approved)', async () => {
    await f.desk.withUnapprovedTemplate(async () => {
      const d = await f.intake('0912 300 009');
      await f.settle(d.id, (ns) => ns[0]?.state === 'waiting');
      const [zalo] = await f.notifications(d.id);
      const job = (await queuedJobs(f.t.app.db, FALLBACK_CHECK_TASK)).find(
        (j) => j.key === `fallback-check:${zalo!.id}`,
      );
      assert.equal(
        new Date(job!.run_at).getTime() - new Date(zalo!.created_at).getTime(),
        DEFAULT_FALLBACK_POLICY.notDeliveredMinutes * 60_000,
        'counted from the status change',
      );
      await f.makeChecksDue();
      await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.state === 'delivered'));
      const sms = (await f.notifications(d.id)).find((n) => n.channel === 'sms')!;
      assert.equal(sms.fallback_reason, 'not_delivered');
      assert.equal(sms.replaces_notification_id, zalo!.id);
    });
  });

  it('never both delivers by Zalo and texts when the receipt and the timer meet', async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const phone = `84912310${String(i).padStart(3, '0')}`;
      const d = await f.intake(`0${phone.slice(2)}`);
      await f.settle(d.id, (ns) => ns[0]?.state === 'sent');
      const [zalo] = await f.notifications(d.id);
      const event = await f.receipt(zalo!.id, phone);
      // Both at once, outside the worker: the row lock decides.
      const [check] = await Promise.all([
        checkDelivery(f.t.app, zalo!.id),
        processOneZaloEvent(f.t.app, event.id),
      ]);
      outcomes.add(check);
      const sms = await f.byChannel(d.id, 'sms');
      assert.equal(sms.length, check === 'planned' ? 1 : 0, `check ${check}`);
      await drainJobs(f.t.app, f.work);
      const after = await f.notifications(d.id);
      assert.equal(after[0]!.state, 'delivered');
      // A fallback planned a moment before the receipt stands down before it is sent.
      assert.deepEqual(
        after.slice(1).map((n) => [n.channel, n.state]),
        check === 'planned' ? [['sms', 'cancelled']] : [],
      );
      const texts = await f.t.app.db
        .selectFrom('sandbox_sms')
        .select('id')
        .where('phone', '=', phone)
        .execute();
      assert.equal(texts.length, 0);
    }
    assert.ok(outcomes.size >= 1);
  });
});
