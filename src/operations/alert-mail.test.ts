import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { HEALTH_CHECKS } from '../app-background.ts';
import { dispatchDueZalo } from '../app-zalo.ts';
import { stopMailCatcher } from '../email/send-email.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { forgetCachedToken } from '../zalo/token-store.ts';
import { mailAlerts } from './alert-mail.ts';
import { runHealthChecks } from './health-checks-runner.ts';

/**
 * Alerts that reach people without watching a page, on real PostgreSQL, the built-in Zalo sandbox and the
 * mail catcher (the product's own e-mail channel): each cause e-mailed once when raised, reminded while it
 * lasts, "back to normal" when it clears.
 */
describe('alert e-mails', () => {
  let desk: ZaloDesk;
  let cookie: string;
  before(async () => {
    desk = await createZaloDesk({ realTime: true, env: { ALERT_EMAILS: 'truc.he.thong@quangtri.gov.vn' } });
    desk.sandbox().options.receiptDelayMs = 10;
    cookie = await desk.adminCookie();
  });
  after(async () => {
    await stopMailCatcher(desk.t.app);
    await desk.t.close();
  });
  beforeEach(async () => {
    desk.sandbox().faults.clear();
    desk.sandbox().refusals.refresh = false;
    desk.sandbox().refusals.templates.clear();
  });

  const mails = async () =>
    (
      await desk.t.app.db
        .selectFrom('sandbox_mail')
        .select(['subject', 'rcpt_to', 'text_body'])
        .orderBy('id')
        .execute()
    ).map((m) => ({ ...m, subject: m.subject }));
  const subjects = async () => (await mails()).map((m) => m.subject);
  /** As if `hours` had passed since the administrators were last e-mailed about the alert. */
  const age = (key: string, hours: number) =>
    sql`update app_alert set mailed_at = mailed_at - make_interval(hours => ${hours}),
      reminded_at = reminded_at - make_interval(hours => ${hours}),
      last_at = last_at - make_interval(hours => ${hours}) where key = ${key}`.execute(desk.t.app.db);

  it('e-mails a broken OA connection once, reminds while it lasts, and says when it is back to normal', async () => {
    const { t } = desk;
    await t.app.db.deleteFrom('sandbox_mail').execute();
    desk.sandbox().faults.set('zbs.message.template', { expiredToken: true });
    desk.sandbox().refusals.refresh = true;
    forgetCachedToken(desk.t.app);
    const d = await desk.intake('0912 900 001');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'waiting');

    await runHealthChecks(t.app, HEALTH_CHECKS);
    await runHealthChecks(t.app, HEALTH_CHECKS);
    const raised = await mails();
    assert.deepEqual(
      raised.map((m) => m.subject),
      ['[Một cửa] Cảnh báo: Mất kết nối Zalo OA'],
      'one e-mail for the cause, however often the checks run',
    );
    assert.deepEqual(raised[0]!.rcpt_to, ['truc.he.thong@quangtri.gov.vn']);
    assert.match(raised[0]!.text_body, /kết nối lại/);
    assert.match(raised[0]!.text_body, /https:\/\/motcua\.test\/zalo/);

    // Still broken four hours later: a reminder, once.
    await age('zalo.connection', 4);
    await runHealthChecks(t.app, HEALTH_CHECKS);
    await runHealthChecks(t.app, HEALTH_CHECKS);
    assert.deepEqual((await subjects()).slice(1), [
      '[Một cửa] Nhắc lại: Mất kết nối Zalo OA (vẫn chưa khắc phục)',
    ]);

    // Reconnected: the waiting message goes, and one "back to normal" e-mail.
    desk.sandbox().faults.clear();
    desk.sandbox().refusals.refresh = false;
    const pair = desk.sandbox().issueTokens(Date.now());
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/zalo/connection/refresh-token',
      headers: { cookie },
      payload: { refreshToken: pair.refresh_token },
    });
    assert.equal(res.statusCode, 204, res.body);
    await dispatchDueZalo(t.app);
    await runHealthChecks(t.app, HEALTH_CHECKS);
    await runHealthChecks(t.app, HEALTH_CHECKS);
    assert.deepEqual((await subjects()).slice(2), ['[Một cửa] Đã trở lại bình thường: Mất kết nối Zalo OA']);
  });

  it('e-mails a refused template, and clears it once no message waits for that template', async () => {
    const { t } = desk;
    await t.app.db.deleteFrom('sandbox_mail').execute();
    desk.sandbox().refusals.templates.set('419001', -131);
    const d = await desk.intake('0912 900 002');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'waiting');
    await runHealthChecks(t.app, HEALTH_CHECKS);
    assert.deepEqual(await subjects(), ['[Một cửa] Cảnh báo: Zalo từ chối mẫu tin']);
    const [waiting] = await desk.notifications(d.id);
    // Still waiting a minute later: the cause is there, the alert stays.
    await age('zalo.template:419001', 1);
    await runHealthChecks(t.app, HEALTH_CHECKS);
    assert.equal((await subjects()).length, 1);
    // The administrator gives that message up: nothing waits for the template any more.
    const cancelled = await t.server.inject({
      method: 'POST',
      url: `/api/admin/notifications/${waiting!.id}/cancel`,
      headers: { cookie },
    });
    assert.equal(cancelled.statusCode, 204, cancelled.body);
    await runHealthChecks(t.app, HEALTH_CHECKS);
    assert.deepEqual((await subjects()).slice(1), ['[Một cửa] Đã trở lại bình thường: Zalo từ chối mẫu tin']);
    const alert = await t.app.db
      .selectFrom('app_alert')
      .select('resolved_at')
      .where('key', '=', 'zalo.template:419001')
      .executeTakeFirstOrThrow();
    assert.ok(alert.resolved_at);
  });

  it('sends each e-mail once when several nodes run the checks at the same moment', async () => {
    const { t } = desk;
    await t.app.db.deleteFrom('sandbox_mail').execute();
    await t.app.db
      .insertInto('app_alert')
      .values({ key: 'gateway.sms', level: 'error', message: 'Cổng SMS lỗi 5 lần liên tiếp: HTTP 503' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ resolved_at: null, mailed_at: null }))
      .execute();
    const sent = await Promise.all([mailAlerts(t.app), mailAlerts(t.app), mailAlerts(t.app)]);
    assert.equal(
      sent.reduce((a, n) => a + n, 0),
      1,
    );
    assert.deepEqual(await subjects(), ['[Một cửa] Cảnh báo: Cổng SMS lỗi liên tục']);
    await t.app.db.deleteFrom('app_alert').where('key', '=', 'gateway.sms').execute();
  });

  it('e-mails ALERT_EMAILS and the addresses administrators set (audited), and sends a test e-mail', async () => {
    const { t } = desk;
    await t.app.db.deleteFrom('sandbox_mail').execute();
    const set = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/alert-recipients',
      headers: { cookie },
      payload: { emails: ['Lanh.Dao@QuangTri.gov.vn', 'khong-phai-email'] },
    });
    assert.equal(set.statusCode, 400, 'a bad address is refused');
    const ok = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/alert-recipients',
      headers: { cookie },
      payload: { emails: ['Lanh.Dao@QuangTri.gov.vn'] },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const test = await t.server.inject({
      method: 'POST',
      url: '/api/admin/alerts/test-mail',
      headers: { cookie },
    });
    assert.equal(test.statusCode, 200, test.body);
    assert.deepEqual(test.json().sentTo, ['truc.he.thong@quangtri.gov.vn', 'lanh.dao@quangtri.gov.vn']);
    const [mail] = await mails();
    assert.deepEqual(mail!.rcpt_to.sort(), ['lanh.dao@quangtri.gov.vn', 'truc.he.thong@quangtri.gov.vn']);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select('data')
      .where('action', '=', 'alert.recipients.set')
      .executeTakeFirstOrThrow();
    assert.deepEqual((audit.data as { emails: string[] }).emails, ['lanh.dao@quangtri.gov.vn']);
  });
});
