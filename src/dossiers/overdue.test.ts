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
 * "Quá hạn" is derived, never stored, and only for a dossier whose clock runs: one waiting for the citizen
 * (supplement, financial obligation) is never overdue. The detail, the officer list filter, the integration
 * API's overdue=true and the dashboard must agree. An apology moves the appointment, not the
 * statistics: finished after the original date it is late, reported as "trễ hạn, đã xin lỗi".
 */
describe('overdue and late, everywhere the same', () => {
  let t: TestApp;
  let authorization: string;
  let officer: { username: string; password: string };
  const codes: Record<string, string> = {};

  before(async () => {
    t = await createTestApp({ now: '2026-03-09T09:00:00+07:00' });
    const agency = await buildAgency(t.app);
    authorization = (await buildApiKey(t.app, agency.id)).authorization;
    officer = await buildOfficer(t.app, agency.id, 'leader');
    const procedure = (await buildProcedure(t.app, [agency.id], { processingDays: 3 })).code;
    const move = async (code: string, body: object) => {
      const res = await t.server.inject({
        method: 'POST',
        url: `/api/v1/dossiers/${code}/transitions`,
        headers: { authorization },
        payload: body,
      });
      assert.equal(res.statusCode, 200, res.body);
    };
    // All received Monday 09/03, due Thursday 12/03.
    for (const name of ['running', 'supplement', 'payment', 'apologised', 'apologisedOnTime']) {
      codes[name] = (await receiveViaApi(t.server, authorization, intakeBody(procedure))).code;
      await move(codes[name]!, { to: 4 });
    }
    t.clock.set('2026-03-11T09:00:00+07:00');
    await move(codes.supplement!, { to: 5, reason: 'Thiếu giấy tờ', missingDocuments: ['Ảnh 4x6'] });
    await move(codes.payment!, { to: 6, amountVnd: 50000, content: 'Lệ phí' });
    for (const name of ['apologised', 'apologisedOnTime']) {
      await move(codes[name]!, {
        to: 4,
        action: 'apologise',
        reason: 'Chờ xác minh',
        newDueDate: '2026-03-18',
      });
    }
    t.clock.set('2026-03-12T16:00:00+07:00');
    await move(codes.apologisedOnTime!, { to: 9 }); // by the original date
    t.clock.set('2026-03-17T10:00:00+07:00');
    await move(codes.apologised!, { to: 9 }); // after the original date, before the new one
    // Monday 16/03: past the due date of the running dossier, and of the two waiting for the citizen.
    t.clock.set('2026-03-16T09:00:00+07:00');
  });
  after(() => t.close());

  it('shows overdue only on the dossier whose clock runs, in the detail and both lists', async () => {
    const detail = async (code: string) =>
      (await t.server.inject({ url: `/api/v1/dossiers/${code}`, headers: { authorization } })).json();
    assert.deepEqual((await detail(codes.running!)).progress, {
      overdue: true,
      workingDaysLeft: 0,
      overdueWorkingDays: 2,
    });
    for (const paused of [codes.supplement!, codes.payment!]) {
      const d = await detail(paused);
      assert.equal(d.clockPaused, true);
      assert.equal(d.progress, null);
    }
    const integration = await t.server.inject({
      url: '/api/v1/dossiers?overdue=true',
      headers: { authorization },
    });
    assert.deepEqual(
      integration.json().items.map((d: { code: string }) => d.code),
      [codes.running],
    );
    const cookie = await loginCookie(t.server, officer.username, officer.password);
    const officerList = await t.server.inject({ url: '/api/dossiers?overdue=true', headers: { cookie } });
    assert.deepEqual(
      officerList.json().items.map((d: { code: string }) => d.code),
      [codes.running],
    );
    const dueSoon = await t.server.inject({ url: '/api/dossiers?dueWithinDays=10', headers: { cookie } });
    assert.deepEqual(dueSoon.json().items, []);
    const dashboard = (await t.server.inject({ url: '/api/dashboard', headers: { cookie } })).json();
    assert.equal(dashboard.overdue, 1);
    assert.equal(dashboard.paused, 2);
  });

  it('counts a dossier finished after its original date as late even with an apology, and reports those apart', async () => {
    const detail = async (code: string) =>
      (await t.server.inject({ url: `/api/v1/dossiers/${code}`, headers: { authorization } })).json();
    const late = await detail(codes.apologised!);
    assert.equal(late.appointmentDate, '2026-03-18');
    assert.equal(late.originalAppointmentDate, '2026-03-12');
    assert.equal(late.onTime, false);
    assert.equal((await detail(codes.apologisedOnTime!)).onTime, true);
    const cookie = await loginCookie(t.server, officer.username, officer.password);
    const dashboard = (await t.server.inject({ url: '/api/dashboard', headers: { cookie } })).json();
    assert.deepEqual(dashboard.onTimeByMonth, [
      { month: '2026-03', finished: 2, onTime: 1, lateApologised: 1, rate: 0.5 },
    ]);
    assert.deepEqual(
      dashboard.onTimeByProcedure.map((p: { finished: number; onTime: number; lateApologised: number }) => [
        p.finished,
        p.onTime,
        p.lateApologised,
      ]),
      [[2, 1, 1]],
    );
  });
});
