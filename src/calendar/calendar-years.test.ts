import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
} from '../test-support/factories.ts';

/**
 * Confirmed and proposed years (issue: "make it impossible for an unconfirmed year to pass silently"): 2027
 * has no official schedule yet, so an appointment counted across it says so; an administrator confirms the
 * year from the decision (audited); confirming or editing a year never changes a printed appointment but
 * lists the dossiers whose date would now differ.
 */
describe('confirmed and proposed calendar years', () => {
  let t: TestApp;
  let authorization: string;
  let procedure: string;
  const users: Record<string, { username: string; password: string }> = {};
  let crossing = '';
  let within = '';

  before(async () => {
    // Monday 21/12/2026, 09:00.
    t = await createTestApp({ now: '2026-12-21T09:00:00+07:00' });
    const agency = await buildAgency(t.app);
    const other = await buildAgency(t.app);
    authorization = (await buildApiKey(t.app, agency.id)).authorization;
    users.admin = await buildOfficer(t.app, agency.id, 'admin', 'Nguyễn Văn Quản');
    users.desk = await buildOfficer(t.app, agency.id, 'desk_officer');
    users.otherDesk = await buildOfficer(t.app, other.id, 'desk_officer');
    procedure = (await buildProcedure(t.app, [agency.id], { processingDays: 10 })).code;
    const receive = async () => {
      const res = await t.server.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { authorization },
        payload: intakeBody(procedure),
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    // 10 working days from Monday 21/12/2026 run into January 2027, a proposed year.
    const created = await receive();
    crossing = created.code;
    assert.equal(created.appointmentDate, '2027-01-05');
    assert.equal(created.appointmentDateBasis, 'proposed');
    assert.deepEqual(created.appointmentProposedYears, [2027]);
    t.clock.set('2026-12-01T09:00:00+07:00');
    const inside = await receive();
    within = inside.code;
    assert.equal(inside.appointmentDateBasis, 'confirmed');
    t.clock.set('2026-12-21T09:00:00+07:00');
  });
  after(() => t.close());

  const as = async (who: string) => {
    const cookie = await loginCookie(t.server, users[who]!.username, users[who]!.password);
    return (url: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE' = 'GET', payload?: object) =>
      t.server.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  };

  it('tells the officer, before and after intake, when a date is counted across a proposed year', async () => {
    const desk = await as('desk');
    const preview = (await desk(`/api/dossiers/appointment-preview?procedureCode=${procedure}`)).json();
    assert.equal(preview.appointmentDate, '2027-01-05');
    assert.equal(preview.appointmentDateBasis, 'proposed');
    assert.deepEqual(preview.appointmentProposedYears, [2027]);
    const detail = (await desk(`/api/dossiers/${crossing}`)).json();
    assert.equal(detail.appointmentDateBasis, 'proposed');
    assert.equal(detail.recomputedAppointmentDate, null);
    assert.deepEqual((await desk('/api/calendar/years/2027')).json(), {
      year: 2027,
      status: 'proposed',
      decision: null,
      confirmedAt: null,
      confirmedBy: null,
    });
    const y2026 = (await desk('/api/calendar/years/2026')).json();
    assert.equal(y2026.status, 'confirmed');
    assert.match(y2026.decision, /12729\/VPCP-KGVX/);
  });

  it('lets only an administrator confirm a year, with the decision it comes from, audited and once', async () => {
    const desk = await as('desk');
    assert.equal((await desk('/api/calendar/years/2027/confirm', 'POST', { decision: 'x' })).statusCode, 403);
    const admin = await as('admin');
    const empty = await admin('/api/calendar/years/2027/confirm', 'POST', { decision: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().details[0].field, 'decision');
    // Before confirming, the administrator enters a swap the decision contains.
    const swap = await admin('/api/calendar/exceptions/2027-02-20', 'PUT', {
      kind: 'working_day',
      reason: 'Làm bù cho thứ Năm 11/02/2027',
    });
    assert.equal(swap.statusCode, 200, swap.body);
    const confirmed = await admin('/api/calendar/years/2027/confirm', 'POST', {
      decision: 'Thông báo số 123/TB-BNV ngày 01/11/2026 của Bộ Nội vụ',
    });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const body = confirmed.json();
    assert.equal(body.status, 'confirmed');
    assert.equal(body.confirmedBy, 'Nguyễn Văn Quản');
    // The confirmed schedule is the proposal as it stood: the dossier's 5/1/2027 does not move.
    assert.equal(body.changedAppointments.total, 0);
    const again = await admin('/api/calendar/years/2027/confirm', 'POST', { decision: 'Lần nữa' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error, 'calendar_year_confirmed');

    const rows = await t.app.db
      .selectFrom('calendar_day')
      .select(['day', 'kind'])
      .where('day', '>=', '2027-01-01')
      .where('day', '<=', '2027-12-31')
      .orderBy('day')
      .execute();
    // The Tết proposal (4–10/2/2027 with Saturday 6 and Sunday 7) became data, with the swap entered.
    for (const day of ['2027-01-01', '2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10']) {
      assert.ok(
        rows.some((r) => r.day === day && r.kind === 'day_off'),
        day,
      );
    }
    assert.ok(rows.some((r) => r.day === '2027-02-20' && r.kind === 'working_day'));
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select(['actor_name', 'target_id', 'data'])
      .where('action', '=', 'calendar.confirm_year')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_name, 'Nguyễn Văn Quản');
    assert.equal(audit.target_id, '2027');
    assert.match(JSON.stringify(audit.data), /123\/TB-BNV/);

    const preview = (await desk(`/api/dossiers/appointment-preview?procedureCode=${procedure}`)).json();
    assert.equal(preview.appointmentDateBasis, 'confirmed');
    const calendar = (await desk('/api/calendar/2027')).json() as { date: string; source: string }[];
    assert.equal(calendar.find((d) => d.date === '2027-02-08')?.source, 'official');
  });

  it('keeps printed dates when a confirmed year is edited, and lists the dossiers to contact', async () => {
    const admin = await as('admin');
    // The decision is amended: Monday 4/1/2027 off. The dossier counted to 5/1 would now end on 6/1.
    const edit = await admin('/api/calendar/exceptions/2027-01-04', 'PUT', {
      kind: 'day_off',
      reason: 'Nghỉ bù theo quyết định sửa đổi',
    });
    assert.equal(edit.statusCode, 200, edit.body);
    const changed = edit.json().changedAppointments;
    assert.equal(changed.total, 1);
    assert.deepEqual(
      changed.items.map((i: { code: string; appointmentDate: string; recomputedAppointmentDate: string }) => [
        i.code,
        i.appointmentDate,
        i.recomputedAppointmentDate,
      ]),
      [[crossing, '2027-01-05', '2027-01-06']],
    );
    const desk = await as('desk');
    const detail = (await desk(`/api/dossiers/${crossing}`)).json();
    assert.equal(detail.appointmentDate, '2027-01-05');
    assert.equal(detail.recomputedAppointmentDate, '2027-01-06');
    assert.equal(detail.appointmentDateBasis, 'confirmed');
    const stored = await t.app.db
      .selectFrom('dossier')
      .select('due_date')
      .where('code', '=', crossing)
      .executeTakeFirstOrThrow();
    assert.equal(stored.due_date, '2027-01-05');
    const list = (await desk('/api/calendar/changed-appointments')).json();
    assert.deepEqual(
      list.items.map((i: { code: string }) => i.code),
      [crossing],
    );
    assert.ok(!list.items.some((i: { code: string }) => i.code === within));
    // Another agency's desk sees the count, not the citizens.
    const other = (await (await as('otherDesk'))('/api/calendar/changed-appointments')).json();
    assert.equal(other.total, 1);
    assert.equal(other.ownAgency, 0);
    assert.deepEqual(other.items, []);
    // Removing the change empties the list again.
    assert.equal((await admin('/api/calendar/exceptions/2027-01-04', 'DELETE')).statusCode, 204);
    assert.equal((await desk('/api/calendar/changed-appointments')).json().total, 0);
  });
});
