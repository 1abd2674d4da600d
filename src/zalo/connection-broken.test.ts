import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HEALTH_CHECKS } from '../app-background.ts';
import { dispatchDueZalo } from '../app-zalo.ts';
import { evaluateHealth } from '../operations/health-checks.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { forgetCachedToken } from './token-store.ts';

/**
 * Zalo refusing the refresh token for good (the OA's grant lost), on real PostgreSQL and the built-in sandbox:
 * the connection is marked broken and the alert raised — both survive the failed refresh — the refused token is
 * not tried again, and reconnecting sends what waited at once.
 */
describe('a refused token refresh', () => {
  let desk: ZaloDesk;
  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    desk.sandbox().options.receiptDelayMs = 10;
  });
  after(() => desk.t.close());

  const connection = () => desk.t.app.db.selectFrom('zalo_connection').selectAll().executeTakeFirstOrThrow();
  const alert = () =>
    desk.t.app.db.selectFrom('app_alert').selectAll().where('key', '=', 'zalo.connection').executeTakeFirst();
  const refreshCalls = () => desk.sandbox().counters.get('oauth.access_token')?.calls ?? 0;

  it('marks the connection broken with an alert, never retries the refused token, and sends at once after reconnecting', async () => {
    const { t } = desk;
    const sandbox = desk.sandbox();
    // Zalo says the access token expired, and refuses the refresh token (the OA administrator revoked the app).
    sandbox.faults.set('zbs.message.template', { expiredToken: true });
    sandbox.refusals.refresh = true;
    forgetCachedToken(desk.t.app);
    const d = await desk.intake('0912 700 001');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'waiting');

    const broken = await connection();
    assert.equal(broken.status, 'broken', 'the broken state is committed, not rolled back with the refresh');
    assert.match(broken.last_error ?? '', /Invalid refresh token/);
    const raised = await alert();
    assert.ok(raised, 'the alert is committed too');
    assert.equal(raised.resolved_at, null);
    const [waiting] = await desk.notifications(d.id);
    assert.equal(waiting!.wait_cause, 'connection');
    assert.equal(waiting!.error_vi, 'Đang chờ kết nối Zalo OA');

    const cookie = await desk.adminCookie();
    const health = await t.server.inject({ url: '/api/zalo/connection', headers: { cookie } });
    assert.equal(health.json().status, 'broken', 'the administrator sees it');
    const banner = await t.server.inject({ url: '/api/alerts', headers: { cookie } });
    assert.ok(banner.json().some((a: { key: string }) => a.key === 'zalo.connection'));

    // The message's next try, and the next ones: the refused refresh token is not sent to Zalo again.
    sandbox.faults.clear();
    const calls = refreshCalls();
    for (let i = 0; i < 3; i++) {
      await t.app.db.updateTable('notification').set({ next_attempt_at: new Date() }).execute();
      forgetCachedToken(desk.t.app);
      await dispatchDueZalo(t.app);
    }
    assert.equal(refreshCalls(), calls, 'no refresh with the refused token');
    assert.equal((await desk.notifications(d.id))[0]!.state, 'waiting');

    // The OA administrator consents again; a refresh token from the API Explorer is pasted.
    sandbox.refusals.refresh = false;
    const pair = sandbox.issueTokens(Date.now());
    await t.app.db
      .updateTable('notification')
      .set({ next_attempt_at: new Date(Date.now() + 300_000) })
      .execute();
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/zalo/connection/refresh-token',
      headers: { cookie },
      payload: { refreshToken: pair.refresh_token },
    });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await connection()).status, 'connected');
    const [released] = await desk.notifications(d.id);
    assert.ok(
      new Date(released!.next_attempt_at!).getTime() <= Date.now(),
      'what waited for the connection is due now, not at its next try',
    );
    await dispatchDueZalo(t.app);
    const [sent] = await desk.notifications(d.id);
    assert.ok(['sent', 'delivered'].includes(sent!.state), sent!.state);
    assert.ok((await alert())?.resolved_at, 'the alert is resolved');
    const history = await t.app.db
      .selectFrom('app_alert_history')
      .selectAll()
      .where('key', '=', 'zalo.connection')
      .execute();
    assert.equal(history.length, 1, 'the occurrence is kept in the history');
  });

  it('keeps the pair when Zalo does not answer the refresh (HTTP 500): not broken, tried again later', async () => {
    const { t } = desk;
    const sandbox = desk.sandbox();
    sandbox.faults.set('zbs.message.template', { expiredToken: true });
    sandbox.faults.set('oauth.access_token', { http500: true });
    forgetCachedToken(desk.t.app);
    const d = await desk.intake('0912 700 002');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'waiting');
    const c = await connection();
    assert.equal(c.status, 'connected');
    assert.match(c.last_error ?? '', /HTTP 500/);
    assert.equal((await alert())?.resolved_at !== null, true, 'no connection alert for a passing outage');
    // Still no answer from Zalo's token endpoint long after the access token expired: alerted.
    await t.app.db
      .updateTable('zalo_connection')
      .set({ access_expires_at: new Date(Date.now() - 20 * 60_000) })
      .execute();
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.match((await alert())?.message ?? '', /Không làm mới được mã truy cập Zalo \(.*HTTP 500/);
    assert.equal((await alert())?.resolved_at, null);
    sandbox.faults.clear();
    await t.app.db.updateTable('notification').set({ next_attempt_at: new Date() }).execute();
    forgetCachedToken(desk.t.app);
    await dispatchDueZalo(t.app);
    assert.ok(['sent', 'delivered'].includes((await desk.notifications(d.id))[0]!.state));
    await evaluateHealth(t.app, HEALTH_CHECKS);
    assert.ok((await alert())?.resolved_at, 'resolved once a token is refreshed again');
  });
});
