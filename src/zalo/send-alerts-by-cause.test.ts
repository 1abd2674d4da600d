import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dispatchDueZalo } from '../app-zalo.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';

/**
 * Alerts keyed by their cause, on real PostgreSQL and the built-in sandbox: a template Zalo refuses keeps its
 * alert while its messages wait, whatever other templates or account problems do; an account problem clears on
 * the next accepted message; each occurrence ends in the history.
 */
describe('alerts keyed by cause', () => {
  let desk: ZaloDesk;
  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    desk.sandbox().options.receiptDelayMs = 10;
  });
  after(() => desk.t.close());

  const open = async () =>
    (
      await desk.t.app.db
        .selectFrom('app_alert')
        .select('key')
        .where('resolved_at', 'is', null)
        .orderBy('key')
        .execute()
    ).map((a) => a.key);
  const transition = (code: string, to: number) =>
    desk.t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization: desk.key.authorization },
      payload: { to },
    });

  it('keeps a refused template alerted while its messages wait, and clears each cause on its own', async () => {
    const { t } = desk;
    const sandbox = desk.sandbox();
    // "Đang xử lý" has a template of its own, which Zalo refuses (not approved).
    sandbox.templates.set('419004', {
      id: '419004',
      name: 'Hồ sơ đang được xử lý',
      status: 'ENABLE',
      tag: 1,
      params: [{ name: 'ma_ho_so', type: 'code', maxLength: 30, require: true }],
      body: 'Hồ sơ <ma_ho_so> đang được xử lý.',
    });
    sandbox.refusals.templates.set('419004', -131);
    await t.app.db
      .insertInto('zalo_template_binding')
      .values({
        key: 'status.4',
        template_id: '419004',
        params: JSON.stringify([{ name: 'ma_ho_so', source: 'dossier_code', maxLength: 30 }]),
      })
      .execute();

    const a = await desk.intake('0912 800 001');
    await desk.settle(a.id, (ns) => ns[0]?.state === 'sent' || ns[0]?.state === 'delivered');
    assert.equal((await transition(a.code, 4)).statusCode, 200);
    await desk.settle(a.id, (ns) => ns[1]?.state === 'waiting');
    const [, held] = await desk.notifications(a.id);
    assert.equal(held!.wait_cause, 'template:419004');
    assert.deepEqual(await open(), ['zalo.template:419004']);

    // Another template sends fine: the refused one's messages still wait, so its alert stays.
    const b = await desk.intake('0912 800 002');
    await desk.settle(b.id, (ns) => ns[0]?.state === 'sent' || ns[0]?.state === 'delivered');
    assert.deepEqual(await open(), ['zalo.template:419004']);

    // An account problem (balance) has an alert of its own…
    sandbox.faults.set('zbs.message.template', { errorCode: -115, remaining: 1 });
    const c = await desk.intake('0912 800 003');
    await desk.settle(c.id, (ns) => ns[0]?.state === 'waiting');
    assert.equal((await desk.notifications(c.id))[0]!.wait_cause, 'account:-115');
    assert.deepEqual(await open(), ['zalo.account:-115', 'zalo.template:419004']);

    // …which the next accepted message ends, leaving the template's.
    const d = await desk.intake('0912 800 004');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'sent' || ns[0]?.state === 'delivered');
    assert.deepEqual(await open(), ['zalo.template:419004']);

    // Zalo approves the template: the waiting message goes out at its next try, and its alert ends.
    sandbox.refusals.templates.delete('419004');
    await t.app.db
      .updateTable('notification')
      .set({ next_attempt_at: new Date() })
      .where('state', '=', 'waiting')
      .execute();
    await dispatchDueZalo(t.app);
    assert.ok(['sent', 'delivered'].includes((await desk.notifications(a.id))[1]!.state));
    assert.deepEqual(await open(), []);
    const history = await t.app.db
      .selectFrom('app_alert_history')
      .select(['key', 'count'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((h) => h.key),
      ['zalo.account:-115', 'zalo.template:419004'],
    );
  });
});
