import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loginCookie } from '../test-support/app.ts';
import { buildOfficer } from '../test-support/factories.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { planStatusChanges } from './status-change-lane.ts';

/** Page "Thông báo": the administrator's statistics, "Gửi lại ngay" and "Hủy", through the dispatcher. */
describe('notification administration', () => {
  let desk: ZaloDesk;
  let cookie: string;
  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    cookie = await desk.adminCookie();
  });
  after(() => desk.t.close());

  const act = (id: number, action: 'retry' | 'cancel') =>
    desk.t.server.inject({
      method: 'POST',
      url: `/api/admin/notifications/${id}/${action}`,
      headers: { cookie },
    });
  const audited = (action: string, id: number) =>
    desk.t.app.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', action)
      .where('target_id', '=', String(id))
      .executeTakeFirst();

  it('sends a failed message again once the citizen is on Zalo, and counts it', async () => {
    desk.sandbox().phones.set('84912500001', { onZalo: false });
    const d = await desk.intake('0912 500 001');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'failed');
    const [failed] = await desk.notifications(d.id);
    desk.sandbox().phones.set('84912500001', { onZalo: true });
    assert.equal((await act(failed!.id, 'retry')).statusCode, 204);
    assert.equal((await desk.notifications(d.id))[0]!.state, 'queued');
    assert.ok(await audited('notification.retry', failed!.id));
    await desk.settle(d.id, (ns) => ns[0]?.state === 'sent' || ns[0]?.state === 'delivered');
    const stats = await desk.t.server.inject({ url: '/api/admin/notifications/stats', headers: { cookie } });
    assert.equal(stats.statusCode, 200);
    assert.ok(stats.json().latencyMs.count >= 1);
    assert.equal((await act(failed!.id, 'retry')).statusCode, 409, 'a sent message is not sent again');
  });

  it('cancels a waiting message, which then never leaves', async () => {
    await desk.withUnapprovedTemplate(async () => {
      const d = await desk.intake('0912 500 002');
      await desk.settle(d.id, (ns) => ns[0]?.state === 'waiting');
      const [waiting] = await desk.notifications(d.id);
      assert.equal((await act(waiting!.id, 'cancel')).statusCode, 204);
      assert.ok(await audited('notification.cancel', waiting!.id));
      await desk.t.app.db
        .updateTable('notification')
        .set({ next_attempt_at: null })
        .where('id', '=', waiting!.id)
        .execute();
      await desk.work();
      assert.equal((await desk.notifications(d.id))[0]!.state, 'cancelled');
      assert.equal((await act(waiting!.id, 'cancel')).statusCode, 409);
    });
  });

  it('lists the status changes whose planning was given up, and plans one again (audited)', async () => {
    const d = await desk.intake('0912 500 003');
    const journal = await desk.t.app.db
      .selectFrom('dossier_journal')
      .select(['id', 'to_status'])
      .where('dossier_id', '=', d.id)
      .executeTakeFirstOrThrow();
    // As the planners leave it after their last attempt.
    await desk.t.app.db
      .insertInto('status_change')
      .values({
        journal_id: journal.id,
        dossier_id: d.id,
        from_status: null,
        to_status: journal.to_status,
        action: 'receive',
        attempts: 25,
        last_error: 'refused for the test',
        failed_at: new Date(),
      })
      .onConflict((oc) => oc.column('journal_id').doUpdateSet({ attempts: 25, failed_at: new Date() }))
      .execute();
    const listed = await desk.t.server.inject({
      url: '/api/admin/status-changes/failed',
      headers: { cookie },
    });
    assert.equal(listed.statusCode, 200);
    assert.deepEqual(
      listed
        .json()
        .map((c: { journalId: number; dossierCode: string; attempts: number }) => [
          c.journalId,
          c.dossierCode,
          c.attempts,
        ]),
      [[journal.id, d.code, 25]],
    );
    const desk2 = await buildOfficer(desk.t.app, desk.agencyId, 'desk_officer');
    const officer = await loginCookie(desk.t.server, desk2.username, desk2.password);
    const refused = await desk.t.server.inject({
      url: '/api/admin/status-changes/failed',
      headers: { cookie: officer },
    });
    assert.equal(refused.statusCode, 403, 'administrators only');
    const retried = await desk.t.server.inject({
      method: 'POST',
      url: '/api/admin/status-changes/retry',
      headers: { cookie },
      payload: { journalId: journal.id },
    });
    assert.deepEqual(retried.json(), { retried: 1 });
    const unknown = await desk.t.server.inject({
      method: 'POST',
      url: '/api/admin/status-changes/retry',
      headers: { cookie },
      payload: { journalId: journal.id },
    });
    assert.equal(unknown.statusCode, 404, 'no longer given up');
    assert.ok(await audited('status_change.retry', journal.id));
    while ((await planStatusChanges(desk.t.app)) > 0) {}
    const left = await desk.t.app.db
      .selectFrom('status_change')
      .select('journal_id')
      .where('journal_id', '=', journal.id)
      .execute();
    assert.deepEqual(left, [], 'planned again (the message existed already: nothing new)');
    const again = await desk.t.server.inject({
      url: '/api/admin/status-changes/failed',
      headers: { cookie },
    });
    assert.deepEqual(again.json(), []);
  });
});
