import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createAppCaches } from '../app-caches.ts';
import type { AppContext } from '../app-context.ts';
import { stopMailCatcher } from '../email/send-email.ts';
import { loginCookie } from '../test-support/app.ts';
import { buildOfficer, intakeBody } from '../test-support/factories.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { startMetricsServer, watchMetricsSources } from './metrics-exposure.ts';

/**
 * What operators and administrators read, on real PostgreSQL and the built-in sandbox: page "Tình trạng hệ
 * thống" (its API), `GET /metrics` behind its token or on its own port, and one correlation id through the
 * logs of a message's whole life.
 */
describe('operators', () => {
  let desk: ZaloDesk;
  let admin: string;
  let officer: string;
  const lines: Record<string, unknown>[] = [];
  const TOKEN = 'metrics-token-for-the-tests';

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    desk = await createZaloDesk({
      realTime: true,
      logger: pino({ level: 'info' }, sink),
      env: { METRICS_TOKEN: TOKEN },
    });
    desk.sandbox().options.receiptDelayMs = 10;
    const a = await buildOfficer(desk.t.app, desk.agencyId, 'admin');
    admin = await loginCookie(desk.t.server, a.username, a.password);
    const o = await buildOfficer(desk.t.app, desk.agencyId, 'desk_officer');
    officer = await loginCookie(desk.t.server, o.username, o.password);
  });
  after(async () => {
    await stopMailCatcher(desk.t.app);
    await desk.t.close();
  });

  it('carries the request id through the status change, its message, the send, the receipt and the fallback', async () => {
    const { t } = desk;
    const id = 'req-0001-from-the-desk';
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { authorization: desk.key.authorization, 'x-request-id': id },
      payload: intakeBody(desk.procedureCode, {
        notifyByZalo: true,
        applicant: { ...intakeBody('x').applicant, phone: '0912 930 001' },
      }),
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['x-request-id'], id);
    const dossierId = (
      await t.app.db
        .selectFrom('dossier')
        .select('id')
        .where('code', '=', res.json().code)
        .executeTakeFirstOrThrow()
    ).id;
    await desk.settle(dossierId, (ns) => ns[0]?.state === 'delivered');
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .select('correlation_id')
      .where('dossier_id', '=', dossierId)
      .executeTakeFirstOrThrow();
    assert.equal(journal.correlation_id, id);
    assert.equal((await desk.notifications(dossierId))[0]!.correlation_id, id);
    const life = lines.filter((l) => JSON.stringify(l).includes(id)).map((l) => l.msg);
    for (const step of [
      'incoming request',
      'dossier received',
      'messages planned',
      'zalo message accepted',
      'zalo delivery receipts recorded',
    ]) {
      assert.ok(life.includes(step), `"${step}" carries the id (found: ${life.join(', ')})`);
    }

    // A number not on Zalo, moved by an officer's request without an id of its own: one is made, and the
    // e-mail that replaces the Zalo message carries it too.
    desk.sandbox().phones.set('84912930002', { onZalo: false });
    const d = await desk.intake('0912 930 002', { email: 'cong.dan@example.vn' });
    await desk.settle(d.id, (ns) => ns.some((n) => n.channel === 'email' && n.state === 'sent'));
    const [zalo, email] = await desk.notifications(d.id);
    assert.match(zalo!.correlation_id ?? '', /^[0-9a-f]{16}$/);
    assert.equal(email!.correlation_id, zalo!.correlation_id);
    const fallbackLife = lines
      .filter((l) => JSON.stringify(l).includes(zalo!.correlation_id!))
      .map((l) => l.msg);
    for (const step of [
      'zalo message not accepted',
      'fallback messages planned',
      'email fallback accepted',
    ]) {
      assert.ok(fallbackLife.includes(step), `"${step}" carries the id (found: ${fallbackLife.join(', ')})`);
    }
  });

  it('serves Prometheus metrics behind the token: latency by route, queues, sends, Zalo errors, webhooks, pool, event loop', async () => {
    const { t } = desk;
    watchMetricsSources(t.app, t.db.pool);
    assert.equal((await t.server.inject({ url: '/metrics' })).statusCode, 401);
    assert.equal(
      (
        await t.server.inject({
          url: '/metrics',
          headers: { authorization: 'Bearer wrong-token-wrong-token' },
        })
      ).statusCode,
      401,
    );
    await t.server.inject({ url: '/healthz' });
    const res = await t.server.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/plain/);
    const text = res.body;
    for (const sample of [
      /motcua_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*\}/,
      /motcua_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/dossiers"[^}]*status="201"/,
      /motcua_queue_depth\{lane="zalo"\} \d+/,
      /motcua_queue_oldest_seconds\{lane="planning"\} \d+/,
      /motcua_messages_sent_total\{channel="zalo_phone",outcome="sent"\} [1-9]/,
      /motcua_messages_sent_total\{channel="email",outcome="sent"\} [1-9]/,
      /motcua_zalo_errors_total\{code="-118",kind="unreachable"\} [1-9]/,
      /motcua_zalo_webhook_events_total\{event="user_received_message",outcome="stored"\} [1-9]/,
      /motcua_zalo_receipts_total\{outcome="delivered"\} [1-9]/,
      /motcua_db_pool_connections\{state="total"\} \d+/,
      /nodejs_eventloop_lag_seconds \d/,
    ]) {
      assert.match(text, sample);
    }
    // Labels only: a sample's value (a latency sum such as 0.00912…) may hold those digits by chance.
    const labels = text.match(/\{[^}]*\}/g) ?? [];
    assert.ok(labels.length > 0);
    assert.doesNotMatch(labels.join('\n'), /0912|84912/, 'no phone in any label');
  });

  it('serves the metrics on a port of their own, for nodes without a web port', async () => {
    const server = await startMetricsServer(desk.t.app, 0);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /motcua_queue_depth/);
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/`)).status, 404);
    } finally {
      await server.close();
    }
  });

  it('counts per app: another app in this process exposes its own counters, and gauges of its database', async () => {
    const other: AppContext = { ...desk.t.app, caches: createAppCaches() };
    const server = await startMetricsServer(other, 0);
    try {
      const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      assert.match(text, /motcua_queue_depth\{lane="zalo"\} \d+/);
      // This process's first app sent messages (above); the other sent none.
      assert.match(text, /# TYPE motcua_messages_sent_total counter/);
      assert.doesNotMatch(text, /motcua_messages_sent_total\{/);
    } finally {
      await server.close();
    }
  });

  it('shows administrators the system status: connection and tokens, queues, sends per hour, workers, gateways, alerts', async () => {
    const { t } = desk;
    assert.equal(
      (await t.server.inject({ url: '/api/admin/system-status', headers: { cookie: officer } })).statusCode,
      403,
    );
    await t.app.db
      .insertInto('app_alert')
      .values({
        key: 'zalo.account:-115',
        level: 'error',
        message: 'Gửi tin Zalo đang tạm dừng: hết số dư (mã -115).',
      })
      .execute();
    const res = await t.server.inject({ url: '/api/admin/system-status', headers: { cookie: admin } });
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    assert.equal(s.connection.status, 'connected');
    assert.equal(
      new Date(s.connection.refreshTokenExpiresAt).getTime() - new Date(s.connection.lastRefreshAt).getTime(),
      90 * 86_400_000,
    );
    assert.deepEqual(
      s.queues.map((q: { lane: string }) => q.lane),
      ['planning', 'zalo', 'zalo_waiting', 'sms', 'email', 'events', 'receipts', 'jobs'],
    );
    assert.ok(
      s.sendsByHour.some((h: { channel: string; sent: number }) => h.channel === 'zalo_phone' && h.sent > 0),
    );
    assert.ok(
      s.failuresByHour.some((h: { cause: string }) => h.cause === 'Số điện thoại chưa đăng ký Zalo'),
      JSON.stringify(s.failuresByHour),
    );
    assert.ok(s.webhooks.lastReceivedAt);
    assert.deepEqual(
      s.gateways.map((g: { channel: string; provider: string }) => [g.channel, g.provider]),
      [
        ['sms', 'sandbox'],
        ['email', 'catcher'],
      ],
    );
    const active = s.alerts.active.find((a: { key: string }) => a.key === 'zalo.account:-115');
    assert.equal(active.title, 'Tài khoản Zalo OA/ZBS không gửi được tin');

    const resolved = await t.server.inject({
      method: 'POST',
      url: '/api/admin/alerts/resolve',
      headers: { cookie: admin },
      payload: { key: 'zalo.account:-115' },
    });
    assert.deepEqual(resolved.json(), { resolved: true });
    const after = (
      await t.server.inject({ url: '/api/admin/system-status', headers: { cookie: admin } })
    ).json();
    assert.ok(!after.alerts.active.some((a: { key: string }) => a.key === 'zalo.account:-115'));
    assert.ok(after.alerts.history.some((a: { key: string }) => a.key === 'zalo.account:-115'));
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select('target_id')
      .where('action', '=', 'alert.resolve')
      .executeTakeFirstOrThrow();
    assert.equal(audit.target_id, 'zalo.account:-115');
  });
});

describe('metrics off by default', () => {
  let desk: ZaloDesk;
  before(async () => {
    desk = await createZaloDesk();
  });
  after(() => desk.t.close());

  it('answers /metrics with 404 without METRICS_TOKEN', async () => {
    assert.equal((await desk.t.server.inject({ url: '/metrics' })).statusCode, 404);
  });
});
