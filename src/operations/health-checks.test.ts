import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { HEALTH_CHECKS } from '../app-background.ts';
import { DEFAULT_FALLBACK_POLICY } from '../contracts/fallback.ts';
import { stopMailCatcher } from '../email/send-email.ts';
import { loginCookie } from '../test-support/app.ts';
import { buildOfficer } from '../test-support/factories.ts';
import { QUIET_OFF } from '../test-support/fallback-desk.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { evaluateHealth } from './health-checks.ts';
import { runHealthChecks } from './health-checks-runner.ts';

/**
 * The conditions the periodic checks watch, on real PostgreSQL and the built-in sandbox: each raised while it
 * holds, e-mailed, and cleared when it no longer does.
 */
describe('health checks', () => {
  let desk: ZaloDesk;
  let gateway: Server;
  let gatewayStatus = 503;
  before(async () => {
    gateway = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(gatewayStatus, { 'content-type': 'application/json' });
        res.end(JSON.stringify(gatewayStatus === 200 ? { messageId: 'gw-ok' } : { error: 'maintenance' }));
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    desk = await createZaloDesk({
      realTime: true,
      env: {
        ALERT_EMAILS: 'truc.he.thong@quangtri.gov.vn',
        ALERT_QUEUE_MINUTES: '10',
        ALERT_WORKER_MINUTES: '5',
        ALERT_GATEWAY_FAILURES: '2',
        SMS_GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`,
        SMS_GATEWAY_TOKEN: 'gateway-token-for-tests',
        SMS_SANDBOX: '0',
      },
    });
    desk.sandbox().options.receiptDelayMs = 10;
  });
  after(async () => {
    await stopMailCatcher(desk.t.app);
    await desk.t.close();
    await new Promise<void>((r) => gateway.close(() => r()));
  });

  const alert = (key: string) =>
    desk.t.app.db.selectFrom('app_alert').selectAll().where('key', '=', key).executeTakeFirst();
  const isOpen = async (key: string) => {
    const a = await alert(key);
    return a !== undefined && a.resolved_at === null;
  };
  const subjects = async () =>
    (await desk.t.app.db.selectFrom('sandbox_mail').select('subject').orderBy('id').execute()).map(
      (m) => m.subject,
    );

  it('raises "queue waiting too long" per queue, and clears it once the queue moves', async () => {
    const { t } = desk;
    const d = await desk.intake('0912 910 001');
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('queue.stale:planning'), false, 'a fresh status change is not late');
    // Nobody planned it for 20 minutes (no worker).
    await sql`update status_change set created_at = now() - interval '20 minutes' where dossier_id = ${d.id}`.execute(
      t.app.db,
    );
    await runHealthChecks(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('queue.stale:planning'), true);
    assert.match((await alert('queue.stale:planning'))!.message, /Lập thông báo.*20 phút/);
    assert.ok((await subjects()).includes('[Một cửa] Cảnh báo: Hàng đợi gửi tin bị chậm'));
    await desk.settle(d.id, (ns) => ns[0]?.state === 'sent' || ns[0]?.state === 'delivered');
    await runHealthChecks(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('queue.stale:planning'), false);
    assert.ok((await subjects()).includes('[Một cửa] Đã trở lại bình thường: Hàng đợi gửi tin bị chậm'));
    assert.equal(await isOpen('queue.stale:zalo'), false, 'each queue on its own');
  });

  it('raises "no worker seen" after N minutes without a heartbeat, and clears it when one beats', async () => {
    const { t } = desk;
    await t.app.db.deleteFrom('worker_node').execute();
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('worker.silent'), false, 'counted from the first check');
    await sql`update app_meta set value = to_jsonb(now() - interval '6 minutes') where key = 'worker_last_seen_at'`.execute(
      t.app.db,
    );
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('worker.silent'), true);
    await t.app.db
      .insertInto('worker_node')
      .values({ pool_id: 'test-pool', pid: 1, hostname: 'may-chu-1' })
      .execute();
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('worker.silent'), false);
    // The node dies and its row is swept away: the last time it was seen is kept.
    await t.app.db.deleteFrom('worker_node').execute();
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('worker.silent'), false);
    await sql`update app_meta set value = to_jsonb(now() - interval '10 minutes') where key = 'worker_last_seen_at'`.execute(
      t.app.db,
    );
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('worker.silent'), true);
    await t.app.db
      .insertInto('worker_node')
      .values({ pool_id: 'test-pool-2', pid: 2, hostname: 'may-chu-1' })
      .execute();
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('worker.silent'), false);
  });

  it('raises "SMS gateway failing" after failures in a row, and clears it on a success', async () => {
    const { t } = desk;
    // Quiet hours off, so that the SMS go now whatever the hour of the test.
    const officer = await buildOfficer(t.app, desk.agencyId, 'admin');
    const policy = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/fallback-policy',
      headers: { cookie: await loginCookie(t.server, officer.username, officer.password) },
      payload: { ...DEFAULT_FALLBACK_POLICY, sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: QUIET_OFF } },
    });
    assert.equal(policy.statusCode, 200, policy.body);
    gatewayStatus = 503;
    for (const phone of ['84912920001', '84912920002']) {
      desk.sandbox().phones.set(phone, { onZalo: false });
      const d = await desk.intake(`0${phone.slice(2)}`);
      await desk.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.attempts > 0));
    }
    const health = await t.app.db
      .selectFrom('gateway_health')
      .selectAll()
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    assert.equal(health.failures_in_row, 2);
    assert.match(health.last_error ?? '', /503/);
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('gateway.sms'), true);

    gatewayStatus = 200;
    desk.sandbox().phones.set('84912920003', { onZalo: false });
    const d = await desk.intake('0912 920 003');
    await desk.settle(d.id, (ns) => ns.some((n) => n.channel === 'sms' && n.state === 'sent'));
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('gateway.sms'), false);
  });

  it('renews a refresh token that nothing used for two months, and warns when it cannot before it expires', async () => {
    const { t } = desk;
    const connection = () => t.app.db.selectFrom('zalo_connection').selectAll().executeTakeFirstOrThrow();
    const longAgo = new Date(Date.now() - 70 * 86_400_000);
    await t.app.db.updateTable('zalo_connection').set({ last_refresh_at: longAgo }).execute();
    await evaluateHealth(t.app, HEALTH_CHECKS);
    const renewed = await connection();
    assert.ok(new Date(renewed.last_refresh_at!).getTime() > Date.now() - 60_000, 'renewed by the check');
    assert.equal(await isOpen('zalo.refresh_token'), false);

    // 80 days unused, and Zalo does not answer the renewal: warned, with the day it expires.
    await t.app.db
      .updateTable('zalo_connection')
      .set({ last_refresh_at: new Date(Date.now() - 80 * 86_400_000) })
      .execute();
    desk.sandbox().faults.set('oauth.access_token', { http500: true });
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('zalo.refresh_token'), true);
    assert.match(
      (await alert('zalo.refresh_token'))!.message,
      /hết hạn ngày \d\d\/\d\d\/\d{4} \(còn 9 ngày\)/,
    );
    desk.sandbox().faults.clear();
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.equal(await isOpen('zalo.refresh_token'), false);
    assert.equal((await connection()).status, 'connected');
  });
});
