import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';

/**
 * Tổng quan over dossiers put in known states: the intake goes through the API, then each dossier's dates are
 * set where the figures' rules are decided (deadlines in working days, on time by Vietnam's calendar day,
 * QĐ 766's "at most one supplement request").
 */
describe('GET /api/dashboard', () => {
  let t: TestApp;
  let cookie: string;
  const ids: Record<string, number> = {};

  before(async () => {
    // Monday 9 March 2026, 09:00 in Vietnam.
    t = await createTestApp({ now: '2026-03-09T09:00:00+07:00' });
    const desk = await buildAgency(t.app);
    const other = await buildAgency(t.app);
    const [p1, p2] = [
      await buildProcedure(t.app, [desk.id, other.id], { name: 'Chứng thực bản sao' }),
      await buildProcedure(t.app, [desk.id], { name: 'Đăng ký hộ kinh doanh' }),
    ];
    const key = await buildApiKey(t.app, desk.id);
    const receive = async (name: string, procedure: string, overrides: Record<string, unknown> = {}) => {
      ids[name] = (await receiveViaApi(t.server, key.authorization, intakeBody(procedure, overrides))).id;
    };
    await receive('dueLater', p1.code);
    await receive('dueSoon', p1.code);
    await receive('overdue', p2.code, { notifyByZalo: false });
    await receive('onTime', p1.code);
    await receive('lateAfterMidnight', p1.code);
    await receive('twoSupplements', p2.code);
    await receiveViaApi(t.server, (await buildApiKey(t.app, other.id)).authorization, intakeBody(p1.code));

    const set = (name: string, values: Record<string, unknown>) =>
      t.app.db.updateTable('dossier').set(values).where('id', '=', ids[name]!).execute();
    await set('dueLater', { due_date: '2026-03-12' });
    // Two working days ahead of Monday is Wednesday: due soon.
    await set('dueSoon', { due_date: '2026-03-11' });
    await set('overdue', { due_date: '2026-03-06' });
    const finished = { status: 10, received_at: new Date('2026-02-10T08:00:00+07:00') };
    await set('onTime', {
      ...finished,
      due_date: '2026-02-16',
      finished_at: new Date('2026-02-16T23:30:00+07:00'),
      supplement_count: 1,
    });
    // Still the 16th in UTC, already the 17th in Vietnam: late.
    await set('lateAfterMidnight', {
      ...finished,
      due_date: '2026-02-16',
      finished_at: new Date('2026-02-17T00:30:00+07:00'),
    });
    await set('twoSupplements', {
      ...finished,
      due_date: '2026-03-05',
      finished_at: new Date('2026-03-02T10:00:00+07:00'),
      supplement_count: 2,
    });
    const officer = await buildOfficer(t.app, desk.id);
    cookie = await loginCookie(t.server, officer.username, officer.password);
  });
  after(() => t.close());

  it("counts the desk's own dossiers by the rules of the deadline and of QĐ 766", async () => {
    const res = await t.server.inject({ url: '/api/dashboard', headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json();
    assert.equal(d.today, '2026-03-09');
    assert.equal(d.receivedToday, 3);
    assert.equal(d.open, 3);
    assert.equal(d.overdue, 1);
    assert.equal(d.dueSoon, 1);
    const count = (status: number) => d.byStatus.find((s: { status: number }) => s.status === status).count;
    assert.equal(count(2), 3);
    assert.equal(count(10), 3);
    assert.equal(d.zaloOptInRate, 5 / 6);
    assert.deepEqual(
      d.onTimeByProcedure.map((p: { name: string; finished: number; onTime: number }) => [
        p.name,
        p.finished,
        p.onTime,
      ]),
      [
        ['Chứng thực bản sao', 2, 1],
        ['Đăng ký hộ kinh doanh', 1, 0],
      ],
    );
    assert.deepEqual(d.onTimeByMonth, [
      { month: '2026-02', finished: 2, onTime: 1, lateApologised: 0, rate: 0.5 },
      { month: '2026-03', finished: 1, onTime: 0, lateApologised: 0, rate: 0 },
    ]);
  });
});
