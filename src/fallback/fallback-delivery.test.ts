import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_FALLBACK_POLICY, type TFallbackPolicy } from '../contracts/fallback.ts';
import { loginCookie } from '../test-support/app.ts';
import { buildAgency, buildOfficer } from '../test-support/factories.ts';
import { createFallbackDesk, type FallbackDesk, QUIET_OFF } from '../test-support/fallback-desk.ts';
import { drainJobs, queuedJobs } from '../test-support/jobs.ts';
import { FALLBACK_MAX_ATTEMPTS, sendFallback } from './send-fallback.ts';

/**
 * Fallback messages on their way out, on real PostgreSQL through the sandboxes: gateway failures and
 * retries, quiet hours, and the province's policy with its admin API.
 */
describe('fallback channels: delivery and policy', () => {
  let f: FallbackDesk;
  before(async () => {
    f = await createFallbackDesk();
  });
  after(() => f.close());
  beforeEach(() => f.quietHoursOff());

  it('retries a failing SMS gateway with backoff, then fails with the reason', async () => {
    // 0900 000 085: Zalo test recipient "failed"; SMS sandbox test number "gateway down" (HTTP 503).
    const d = await f.intake('0900 000 085');
    await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.attempts === 1));
    const [sms] = await f.byChannel(d.id, 'sms');
    assert.equal(sms!.fallback_reason, 'failed');
    assert.equal(sms!.state, 'queued');
    assert.equal(sms!.error_vi, 'Cổng SMS đang lỗi, sẽ gửi lại');
    const delays: number[] = [new Date(sms!.next_attempt_at!).getTime() - f.t.app.clock().getTime()];
    let result = '';
    for (let i = 1; i < FALLBACK_MAX_ATTEMPTS; i++) {
      result = await sendFallback(f.t.app, sms!.id);
      const [now] = await f.byChannel(d.id, 'sms');
      if (now?.next_attempt_at) {
        delays.push(new Date(now.next_attempt_at).getTime() - f.t.app.clock().getTime());
      }
    }
    assert.equal(result, 'failed');
    assert.deepEqual(delays, [30_000, 120_000, 480_000, 1_920_000]);
    const [failed] = await f.byChannel(d.id, 'sms');
    assert.equal(failed!.state, 'failed');
    assert.equal(failed!.error_code, 503);
    assert.match(failed!.error_message!, /SMS gateway HTTP 503/);
    assert.equal(failed!.error_vi, `Không gửi được SMS sau ${FALLBACK_MAX_ATTEMPTS} lần thử (cổng SMS lỗi)`);
    assert.ok(failed!.failed_at);
    const attempts = await f.t.app.db
      .selectFrom('notification_attempt')
      .selectAll()
      .where('notification_id', '=', sms!.id)
      .execute();
    assert.equal(attempts.length, FALLBACK_MAX_ATTEMPTS);
    assert.ok(attempts.every((a) => a.outcome === 'transient' && a.error_code === 503));
    assert.equal(await sendFallback(f.t.app, sms!.id), 'skipped');
    const stats = await f.t.server.inject({
      url: '/api/admin/notifications/stats?channel=sms',
      headers: { cookie: f.admin },
    });
    const reasons = (stats.json() as { failures: { reason: string }[] }).failures.map((f) => f.reason);
    assert.ok(reasons.includes(failed!.error_vi!));
    assert.ok(
      !reasons.includes('Zalo từ chối tin nhắn (mẫu tin hoặc dữ liệu không hợp lệ)'),
      'only SMS failures',
    );
  });

  it('fails at once when the gateway refuses the number', async () => {
    const d = await f.intake('0900 000 095');
    await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.state === 'failed'));
    const [sms] = await f.byChannel(d.id, 'sms');
    assert.equal(sms!.attempts, 1);
    assert.equal(sms!.error_vi, 'Cổng SMS từ chối tin nhắn');
    assert.match(sms!.error_message!, /refused/);
  });

  it('holds an SMS during quiet hours and sends it when they end, never dropping it', async () => {
    await f.duringQuietNight(async (day) => {
      f.sandbox().phones.set('84987000203', { onZalo: false });
      const d = await f.intake('0987 000 203');
      await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms'));
      const [sms] = await f.byChannel(d.id, 'sms');
      const end = new Date(new Date(`${day}T07:00:00+07:00`).getTime() + 86_400_000);
      assert.equal(sms!.state, 'queued');
      assert.equal(new Date(sms!.next_attempt_at!).getTime(), end.getTime());
      assert.equal(sms!.error_vi, 'Giờ yên lặng (21:00–07:00): SMS sẽ được gửi lúc 07:00');
      const job = (await queuedJobs(f.t.app.db, 'fallback.send')).find(
        (j) => j.key === `fallback:${sms!.id}`,
      );
      assert.ok(job);
      // Run early (still quiet): postponed again, not sent.
      assert.equal(await sendFallback(f.t.app, sms!.id), 'retry');
      f.t.clock.set(end);
      assert.equal(await sendFallback(f.t.app, sms!.id), 'delivered');
    });
  });

  it('drops a held SMS about an older status once a newer status reached the citizen by Zalo', async () => {
    await f.duringQuietNight(async (day) => {
      f.sandbox().phones.set('84987000206', { onZalo: false });
      const d = await f.intake('0987 000 206');
      await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms'));
      // The citizen installs Zalo; the next status reaches them there.
      f.sandbox().phones.set('84987000206', { onZalo: true });
      const moved = await f.t.server.inject({
        method: 'POST',
        url: `/api/v1/dossiers/${d.code}/transitions`,
        headers: { authorization: f.key.authorization },
        payload: { to: 4 },
      });
      assert.equal(moved.statusCode, 200, moved.body);
      await f.settle(d.id, (ns) => ns.some((n) => n.channel === 'zalo_phone' && n.state === 'sent'));
      const newer = (await f.byChannel(d.id, 'zalo_phone')).find((n) => n.state === 'sent')!;
      await f.receipt(newer.id, '84987000206');
      await f.settle(d.id, (ns) => ns.some((n) => n.id === newer.id && n.state === 'delivered'));
      const [held] = await f.byChannel(d.id, 'sms');
      f.t.clock.set(new Date(new Date(`${day}T07:00:00+07:00`).getTime() + 86_400_000));
      assert.equal(await sendFallback(f.t.app, held!.id), 'skipped');
      assert.equal((await f.byChannel(d.id, 'sms'))[0]!.state, 'superseded');
    });
  });

  it('follows the policy: statuses, triggers and citizens without Zalo', async () => {
    await f.savePolicy({ statuses: [4], sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: QUIET_OFF } });
    f.sandbox().phones.set('84987000204', { onZalo: false });
    const d = await f.intake('0987 000 204');
    await f.settle(d.id, (ns) => ns[0]?.state === 'failed');
    await drainJobs(f.t.app, f.work);
    assert.equal((await f.notifications(d.id)).length, 1, 'status 2 is not in the policy');

    await f.savePolicy({
      triggers: ['failed'],
      sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: QUIET_OFF },
    });
    f.sandbox().phones.set('84987000205', { onZalo: false });
    const e = await f.intake('0987 000 205');
    await f.settle(e.id, (ns) => ns[0]?.state === 'failed');
    await drainJobs(f.t.app, f.work);
    assert.equal((await f.notifications(e.id)).length, 1, '"not on Zalo" is not a trigger');

    const quiet = await f.intake('0912 300 003', { notifyByZalo: false });
    await drainJobs(f.t.app, f.work);
    assert.equal((await f.notifications(quiet.id)).length, 0, 'no opt-in, withoutZalo off');
    await f.savePolicy({ withoutZalo: true, sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: QUIET_OFF } });
    const direct = await f.intake('0912 300 004', { notifyByZalo: false });
    await f.settle(direct.id, (ns) => ns[0]?.state === 'delivered');
    const [sms] = await f.notifications(direct.id);
    assert.equal(sms!.channel, 'sms');
    assert.equal(sms!.fallback_reason, 'no_zalo');
    assert.equal(sms!.replaces_notification_id, null);
  });

  it('lets administrators change the policy, with Vietnamese validation messages and an audit record', async () => {
    const res = await f.t.server.inject({
      method: 'PUT',
      url: '/api/admin/fallback-policy',
      headers: { cookie: f.admin },
      payload: {
        ...DEFAULT_FALLBACK_POLICY,
        sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: { enabled: true, start: '22:00', end: '22:00' } },
      },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().userMessage, 'Giờ bắt đầu và kết thúc khung giờ yên lặng phải khác nhau.');
    await f.savePolicy({ notDeliveredMinutes: 45 });
    const view = await f.t.server.inject({ url: '/api/admin/fallback-policy', headers: { cookie: f.admin } });
    assert.equal(view.json().policy.notDeliveredMinutes, 45);
    assert.equal(view.json().isDefault, false);
    assert.deepEqual(view.json().providers, { sms: 'sandbox', email: 'catcher' });
    const audit = await f.t.app.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'fallback_policy.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal((audit.data as unknown as { after: TFallbackPolicy }).after.notDeliveredMinutes, 45);
    const agency = await buildAgency(f.t.app);
    const officer = await buildOfficer(f.t.app, agency.id, 'desk_officer');
    const cookie = await loginCookie(f.t.server, officer.username, officer.password);
    const forbidden = await f.t.server.inject({ url: '/api/admin/fallback-policy', headers: { cookie } });
    assert.equal(forbidden.statusCode, 403);
  });
});
