import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loginCookie } from '../test-support/app.ts';
import { buildOfficer } from '../test-support/factories.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { DEFAULT_BINDINGS } from './bindings.ts';

/** A status with no template bound: the message waits, and goes out once an administrator binds one. */
describe('messages waiting for a template', () => {
  let desk: ZaloDesk;
  before(async () => {
    desk = await createZaloDesk({ realTime: true });
  });
  after(() => desk.t.close());

  it('waits with the administrators alerted, then is sent once the template is bound', async () => {
    const { t } = desk;
    await t.app.db.deleteFrom('zalo_template_binding').execute();
    const d = await desk.intake('0912 400 001');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'waiting');
    const [waiting] = await desk.notifications(d.id);
    assert.equal(waiting!.template_id, null);
    assert.equal(waiting!.error_vi, 'Chưa cấu hình mẫu tin Zalo cho trạng thái này');
    const alert = () =>
      t.app.db
        .selectFrom('app_alert')
        .selectAll()
        .where('key', '=', 'zalo.template.missing')
        .executeTakeFirst();
    assert.equal((await alert())?.resolved_at, null);

    const admin = await buildOfficer(t.app, desk.agencyId, 'admin');
    const status = DEFAULT_BINDINGS.find((b) => b.key === 'status')!;
    const res = await t.server.inject({
      method: 'PUT',
      url: '/api/zalo/templates/status',
      headers: { cookie: await loginCookie(t.server, admin.username, admin.password) },
      payload: { templateId: status.templateId, params: status.params },
    });
    assert.equal(res.statusCode, 200, res.body);
    const [queued] = await desk.notifications(d.id);
    assert.equal(queued!.state, 'queued');
    assert.equal(queued!.template_id, status.templateId);
    assert.equal((queued!.payload as Record<string, string>).ma_ho_so, d.code);
    assert.ok((await alert())?.resolved_at, 'the alert is resolved');

    await desk.settle(d.id, (ns) => ns[0]?.state === 'sent' || ns[0]?.state === 'delivered');
    const sent = desk.sandbox().messages.find((m) => m.trackingId?.endsWith(`-${queued!.id}`));
    assert.equal(sent?.templateData?.ma_ho_so, d.code);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'zalo.template.set')
      .executeTakeFirstOrThrow();
    assert.equal((audit.data as { queuedMessages: number }).queuedMessages, 1);
  });
});
