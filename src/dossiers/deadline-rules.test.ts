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
import { readPdf } from '../test-support/pdf.ts';

/**
 * The rules of computation (domain-vn.md, "Corrections, December 2026") through the API on PostgreSQL: the
 * afternoon cut-off only where the procedure has one, limits in working or calendar days, office hours for
 * online intake, and the cut-off's legal basis wherever it shows.
 */
describe('deadline rules per procedure', () => {
  let t: TestApp;
  let authorization: string;
  let admin: { username: string; password: string };
  let desk: { username: string; password: string };
  /** Sessions last 12 hours: log in at the test's own time. */
  const cookieOf = (o: { username: string; password: string }) =>
    loginCookie(t.server, o.username, o.password);
  const codes: Record<string, string> = {};
  let workingId = 0;

  before(async () => {
    t = await createTestApp();
    const agency = await buildAgency(t.app);
    authorization = (await buildApiKey(t.app, agency.id)).authorization;
    admin = await buildOfficer(t.app, agency.id, 'admin');
    desk = await buildOfficer(t.app, agency.id, 'desk_officer');
    const working = await buildProcedure(t.app, [agency.id], { processingDays: 3 });
    workingId = working.id;
    codes.working = working.code;
    codes.sameDay = (await buildProcedure(t.app, [agency.id], { processingDays: 0 })).code;
    codes.calendar = (
      await buildProcedure(t.app, [agency.id], { processingDays: 15, unit: 'calendar_days' })
    ).code;
    codes.calendarExtend = (
      await buildProcedure(t.app, [agency.id], {
        processingDays: 10,
        unit: 'calendar_days',
        supplementRule: 'extend',
      })
    ).code;
  });
  after(() => t.close());

  const receive = async (at: string, procedure: string, extra: Record<string, unknown> = {}) => {
    t.clock.set(at);
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { authorization },
      payload: intakeBody(procedure, extra),
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { code: string; appointmentDate: string };
  };

  it('adds no day to an afternoon intake of a multi-day procedure, and one to a same-day matter after 15:00', async () => {
    // Monday 09/03/2026 16:30 at the desk, 3 working days → Thursday 12/03 (the day of receipt never counts).
    assert.equal((await receive('2026-03-09T16:30:00+07:00', codes.working!)).appointmentDate, '2026-03-12');
    assert.equal((await receive('2026-03-09T14:00:00+07:00', codes.sameDay!)).appointmentDate, '2026-03-09');
    assert.equal((await receive('2026-03-09T15:30:00+07:00', codes.sameDay!)).appointmentDate, '2026-03-10');
  });

  it('receives an online dossier filed after office hours on the next working day', async () => {
    const online = { channel: 'online' };
    // Monday 22:00 online → received Tuesday → Friday 13/03.
    assert.equal(
      (await receive('2026-03-09T22:00:00+07:00', codes.working!, online)).appointmentDate,
      '2026-03-13',
    );
    // Friday 20:00 online → received Monday 16/03 → Thursday 19/03.
    assert.equal(
      (await receive('2026-03-13T20:00:00+07:00', codes.working!, online)).appointmentDate,
      '2026-03-19',
    );
    // Before closing time it is received that day.
    assert.equal(
      (await receive('2026-03-09T16:00:00+07:00', codes.working!, online)).appointmentDate,
      '2026-03-12',
    );
  });

  it('counts a limit in calendar days and moves an end on a day off to the next working day', async () => {
    // Friday 06/03 + 15 days = Saturday 21/03 → Monday 23/03.
    const d = await receive('2026-03-06T09:00:00+07:00', codes.calendar!);
    assert.equal(d.appointmentDate, '2026-03-23');
    const detail = await t.server.inject({ url: `/api/v1/dossiers/${d.code}`, headers: { authorization } });
    assert.equal(detail.json().procedure.deadlineUnit, 'calendar_days');
    const receipt = await t.server.inject({
      url: `/api/v1/dossiers/${d.code}/receipt.pdf`,
      headers: { authorization },
    });
    const text = (await readPdf(receipt.rawPayload)).text.replace(/\s+/g, ' ');
    assert.ok(text.includes('Thời gian giải quyết hồ sơ theo quy định: 15 ngày'), text);
    assert.ok(text.includes('17 giờ 00 phút, ngày 23 tháng 03 năm 2026'));
  });

  it('extends a calendar-day limit by the calendar days waited for the citizen', async () => {
    // Monday 09/03 + 10 days = Thursday 19/03; waiting 10/03 → 13/03 (3 days): 22/03 (Sunday) → Monday 23/03.
    const d = await receive('2026-03-09T09:00:00+07:00', codes.calendarExtend!);
    assert.equal(d.appointmentDate, '2026-03-19');
    const move = (body: object) =>
      t.server.inject({
        method: 'POST',
        url: `/api/v1/dossiers/${d.code}/transitions`,
        headers: { authorization },
        payload: body,
      });
    await move({ to: 4 });
    t.clock.set('2026-03-10T09:00:00+07:00');
    await move({ to: 5, reason: 'Thiếu giấy tờ', missingDocuments: ['Ảnh'] });
    t.clock.set('2026-03-13T09:00:00+07:00');
    const back = await move({ to: 4 });
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.json().appointmentDate, '2026-03-23');
  });

  it('prints a same-day cut-off with its legal basis, and previews it for the intake screen', async () => {
    const d = await receive('2026-03-09T10:00:00+07:00', codes.sameDay!);
    const receipt = await t.server.inject({
      url: `/api/v1/dossiers/${d.code}/receipt.pdf`,
      headers: { authorization },
    });
    const text = (await readPdf(receipt.rawPayload)).text.replace(/\s+/g, ' ');
    assert.ok(
      text.includes(
        'Hồ sơ tiếp nhận sau 15 giờ 00 được trả kết quả trong ngày làm việc tiếp theo (Luật Hộ tịch 2014, Điều 5 khoản 3).',
      ),
      text,
    );
    t.clock.set('2026-03-09T22:00:00+07:00');
    const preview = await t.server.inject({
      url: `/api/dossiers/appointment-preview?procedureCode=${codes.working}&channel=online`,
      headers: { cookie: await cookieOf(desk) },
    });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.deepEqual(
      { ...(preview.json() as object), receivedAt: undefined },
      {
        receivedAt: undefined,
        receptionDay: '2026-03-10',
        appointmentDate: '2026-03-13',
        appointmentDateBasis: 'confirmed',
        appointmentProposedYears: [],
        processingDays: 3,
        deadlineUnit: 'working_days',
        cutoffTime: null,
        cutoffBasis: '',
      },
    );
  });

  it('lets an administrator set the unit and a cut-off, only with its legal basis', async () => {
    const cookie = await cookieOf(admin);
    const patch = (payload: object) =>
      t.server.inject({
        method: 'PATCH',
        url: `/api/procedures/${workingId}`,
        headers: { cookie },
        payload,
      });
    const missing = await patch({ cutoffTime: '15:00' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().details[0].field, 'cutoffBasis');
    assert.match(missing.json().userMessage, /căn cứ pháp lý/);
    const ok = await patch({
      cutoffTime: '15:00',
      cutoffBasis: ' Quyết định công bố TTHC số 12/QĐ-UBND ',
      deadlineUnit: 'calendar_days',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().cutoffBasis, 'Quyết định công bố TTHC số 12/QĐ-UBND');
    assert.equal(ok.json().deadlineUnit, 'calendar_days');
    const off = await patch({ cutoffTime: null, deadlineUnit: 'working_days' });
    assert.equal(off.json().cutoffTime, null);
  });
});
