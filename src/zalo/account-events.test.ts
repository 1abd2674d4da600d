import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { drainJobs } from '../test-support/jobs.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';

/**
 * Zalo's account events reach the administrators: a template's review (with Zalo's reason, the only place a
 * rejection is explained) and the daily quota. The sandbox sends them as Zalo does when its administration
 * changes a template or the quota; the product's webhook stores them and the event lane records them.
 */
describe('Zalo account events: template reviews and the daily quota', () => {
  let desk: ZaloDesk;
  let cookie: string;

  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    cookie = await desk.adminCookie();
  });
  after(() => desk.t.close());

  const sandboxAdmin = async (url: string, payload: Record<string, unknown>) => {
    const res = await desk.t.server.inject({ method: 'PUT', url, headers: { cookie }, payload });
    assert.equal(res.statusCode, 200, res.body);
  };
  const review = (templateId: string, status: string, reason = '') => {
    const template = desk.sandbox().templates.get(templateId)!;
    return sandboxAdmin(`/sandbox/api/templates/${templateId}`, { ...template, status, reason });
  };
  const alert = (key: string) =>
    desk.t.app.db.selectFrom('app_alert').selectAll().where('key', '=', key).executeTakeFirst();
  /** Does `change` and works until the event lane has recorded the event it causes; returns its outcome. */
  const recorded = async (change: () => Promise<void>) => {
    const { last } = await desk.t.app.db
      .selectFrom('zalo_event')
      .select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('last'))
      .executeTakeFirstOrThrow();
    await change();
    const next = () =>
      desk.t.app.db
        .selectFrom('zalo_event')
        .select('outcome')
        .where('id', '>', Number(last))
        // Not a receipt or a citizen's message arriving meanwhile.
        .where('event_name', 'in', ['change_template_status', 'change_oa_daily_quota'])
        .where('processed_at', 'is not', null)
        .executeTakeFirst();
    await drainJobs(desk.t.app, desk.work, { until: async () => (await next()) !== undefined });
    return (await next())!.outcome!;
  };

  it('raises a rejection with Zalo’s reason, as an error when the template is in use', async () => {
    assert.match(
      await recorded(() => review('419001', 'REJECT', 'Mẫu tin bị lặp; Logo không hợp lệ')),
      /419001 REJECT \(bound\)/,
    );
    const bound = await alert('zalo.template_review:419001');
    assert.equal(bound?.level, 'error');
    assert.equal(bound?.resolved_at, null);
    assert.match(
      bound!.message,
      /Zalo không duyệt mẫu tin 419001\. Lý do: Mẫu tin bị lặp; Logo không hợp lệ\./,
    );
    assert.match(bound!.message, /đang được dùng \(status\)/);

    // A template no status uses yet: its author needs the reason too, but nothing waits for it.
    await recorded(() => review('419003', 'DISABLE'));
    const unbound = await alert('zalo.template_review:419003');
    assert.equal(unbound?.level, 'warning');
    assert.equal(unbound?.message, 'Zalo tạm khóa mẫu tin 419003.');

    await recorded(() => review('419001', 'ENABLE'));
    assert.notEqual((await alert('zalo.template_review:419001'))?.resolved_at, null);
  });

  it('sends the messages that waited for a template as soon as Zalo approves it', async () => {
    if (desk.sandbox().templates.get('419003')!.status !== 'PENDING_REVIEW') {
      await recorded(() => review('419003', 'PENDING_REVIEW'));
    }
    await desk.withUnapprovedTemplate(async () => {
      const d = await desk.intake('0912000777');
      await desk.settle(d.id, (ns) => ns.some((n) => n.state === 'waiting'));
      const [waiting] = await desk.notifications(d.id);
      assert.equal(waiting?.wait_cause, 'template:419003');
      // Tried again in 15 minutes by itself; the approval must not wait for that.
      assert.ok(new Date(waiting!.next_attempt_at!).getTime() > Date.now() + 10 * 60_000);
      assert.equal((await alert('zalo.template:419003'))?.resolved_at, null);

      assert.match(await recorded(() => review('419003', 'ENABLE')), /419003 ENABLE: 1 waiting/);
      await desk.settle(d.id, (ns) => ns.some((n) => n.state === 'sent' || n.state === 'delivered'));
      assert.notEqual((await alert('zalo.template:419003'))?.resolved_at, null);
    });
  });

  it('warns when Zalo lowers the daily quota and clears when it is raised again', async () => {
    const daily = desk.sandbox().quota.daily;
    assert.match(await recorded(() => sandboxAdmin('/sandbox/api/quota', { daily: 500 })), /lowered/);
    const lowered = await alert('zalo.daily_quota');
    assert.equal(lowered?.level, 'warning');
    assert.equal(
      lowered?.message,
      `Zalo giảm hạn mức gửi tin ZBS trong ngày của OA từ ${daily.toLocaleString('vi-VN')} xuống 500 tin.`,
    );
    await recorded(() => sandboxAdmin('/sandbox/api/quota', { daily }));
    assert.notEqual((await alert('zalo.daily_quota'))?.resolved_at, null);
  });
});
