import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';
import { statusChangeOutbox } from '../test-support/jobs.ts';

describe('POST /api/v1/dossiers/:code/transitions (lifecycle)', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let procedureCode: string;
  let extendCode: string;

  before(async () => {
    t = await createTestApp({ now: '2026-03-09T09:00:00+07:00' });
    const agency = await buildAgency(t.app);
    key = await buildApiKey(t.app, agency.id);
    procedureCode = (await buildProcedure(t.app, [agency.id], { processingDays: 5 })).code;
    extendCode = (await buildProcedure(t.app, [agency.id], { processingDays: 5, supplementRule: 'extend' }))
      .code;
  });
  after(() => t.close());

  const receive = async (code = procedureCode) =>
    (await receiveViaApi(t.server, key.authorization, intakeBody(code))).code;
  const move = (code: string, body: Record<string, unknown>) =>
    t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization: key.authorization },
      payload: body,
    });

  it('walks the whole path and restarts the clock in full after a supplement', async () => {
    t.clock.set('2026-03-09T09:00:00+07:00');
    const code = await receive();
    // Received Monday 09/03, 5 working days → Monday 16/03.
    assert.equal((await move(code, { to: 4 })).json().appointmentDate, '2026-03-16');

    t.clock.set('2026-03-10T10:00:00+07:00');
    const supplement = await move(code, {
      to: 5,
      reason: 'Thiếu giấy tờ',
      missingDocuments: ['Bản sao Giấy khai sinh', 'Ảnh 4x6'],
    });
    assert.equal(supplement.statusCode, 200, supplement.body);
    assert.equal(supplement.json().clockPaused, true);
    assert.equal(supplement.json().progress, null);
    assert.deepEqual(supplement.json().statusData.missingDocuments, ['Bản sao Giấy khai sinh', 'Ảnh 4x6']);

    // Friday 16:00: a 5-working-day limit has no afternoon cut-off (the law's 15:00 is for same-day matters),
    // so the count restarts the next day: Monday 16/03 … Friday 20/03.
    t.clock.set('2026-03-13T16:00:00+07:00');
    const back = await move(code, { to: 4, receivedDocuments: ['Bản sao Giấy khai sinh'] });
    assert.equal(back.json().status, 4);
    assert.equal(back.json().appointmentDate, '2026-03-20');
    assert.equal(back.json().clockPaused, false);

    t.clock.set('2026-03-16T09:00:00+07:00');
    const pay = await move(code, { to: 6, amountVnd: 75000, content: 'Lệ phí cấp giấy phép' });
    assert.equal(pay.json().statusData.amountVnd, 75000);
    const reread = await t.server.inject({
      url: `/api/v1/dossiers/${code}`,
      headers: { authorization: key.authorization },
    });
    assert.deepEqual(pay.json(), reread.json(), 'the answer is the dossier as stored');
    t.clock.set('2026-03-18T09:00:00+07:00'); // waited 2 working days: due date moves 20/03 → 24/03
    assert.equal((await move(code, { to: 4 })).json().appointmentDate, '2026-03-24');

    t.clock.set('2026-03-20T09:00:00+07:00');
    const done = await move(code, { to: 9, resultSummary: 'Đã cấp giấy' });
    assert.equal(done.json().status, 9);
    assert.equal(done.json().onTime, true);
    const returned = await move(code, { to: 10, method: 'direct', receiverName: 'Nguyễn Văn An' });
    assert.equal(returned.json().status, 10);
    assert.deepEqual(returned.json().actions, []);

    const journal = await t.server.inject({
      url: `/api/v1/dossiers/${code}/journal`,
      headers: { authorization: key.authorization },
    });
    assert.deepEqual(
      journal.json().map((e: { action: string; toStatus: number }) => `${e.action}→${e.toStatus}`),
      [
        'receive→2',
        'start_processing→4',
        'request_supplement→5',
        'receive_supplement→4',
        'request_payment→6',
        'confirm_payment→4',
        'complete→9',
        'return_result→10',
      ],
    );
    const dossierId = returned.json().id;
    const outbox = (await statusChangeOutbox(t.app.db)).filter((c) => c.dossier_id === dossierId);
    assert.deepEqual(
      outbox.map((c) => `${c.action}:${c.from_status ?? '-'}→${c.to_status}`),
      [
        'receive:-→2',
        'start_processing:2→4',
        'request_supplement:4→5',
        'receive_supplement:5→4',
        'request_payment:4→6',
        'confirm_payment:6→4',
        'complete:4→9',
        'return_result:9→10',
      ],
    );
  });

  it('extends instead of restarting for procedures configured so', async () => {
    t.clock.set('2026-03-09T09:00:00+07:00');
    const code = await receive(extendCode);
    await move(code, { to: 4 });
    await move(code, { to: 5, reason: 'Thiếu', missingDocuments: ['Ảnh'] });
    t.clock.set('2026-03-12T09:00:00+07:00'); // waited 3 working days: 16/03 → 19/03
    assert.equal((await move(code, { to: 4 })).json().appointmentDate, '2026-03-19');
  });

  it('refuses an illegal transition with 409 and changes nothing', async () => {
    t.clock.set('2026-03-09T09:00:00+07:00');
    const code = await receive();
    const res = await move(code, { to: 10, method: 'direct' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'invalid_transition');
    const unknown = await move(code, { to: 1 });
    assert.equal(unknown.statusCode, 409);
    const detail = await t.server.inject({
      url: `/api/v1/dossiers/${code}`,
      headers: { authorization: key.authorization },
    });
    assert.equal(detail.json().status, 2);
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .select('seq')
      .where('dossier_id', '=', detail.json().id)
      .execute();
    assert.equal(journal.length, 1);
  });

  it('requires the fields of each action, in Vietnamese for officers', async () => {
    const code = await receive();
    const res = await move(code, { to: 5, reason: 'Thiếu' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().details[0].field, 'missingDocuments');
    assert.match(res.json().userMessage, /Danh sách giấy tờ cần bổ sung/);
    const refusal = await move(code, { to: 3, reason: '   ' });
    assert.equal(refusal.statusCode, 400);
  });

  it('allows one apology with a new date, before the due date only', async () => {
    t.clock.set('2026-03-09T09:00:00+07:00');
    const code = await receive();
    await move(code, { to: 4 });
    const notWorking = await move(code, {
      to: 4,
      action: 'apologise',
      reason: 'Chờ xác minh',
      newDueDate: '2026-03-21',
    });
    assert.equal(notWorking.statusCode, 400);
    const apology = await move(code, {
      to: 4,
      action: 'apologise',
      reason: 'Chờ xác minh',
      newDueDate: '2026-03-20',
    });
    assert.equal(apology.statusCode, 200, apology.body);
    assert.equal(apology.json().appointmentDate, '2026-03-20');
    assert.equal(apology.json().originalAppointmentDate, '2026-03-16');
    const twice = await move(code, {
      to: 4,
      action: 'apologise',
      reason: 'Lần nữa',
      newDueDate: '2026-03-27',
    });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error, 'apology_already_issued');

    const late = await receive();
    await move(late, { to: 4 });
    t.clock.set('2026-03-16T10:00:00+07:00'); // the due date itself
    const tooLate = await move(late, { to: 4, action: 'apologise', reason: 'Trễ', newDueDate: '2026-03-20' });
    assert.equal(tooLate.statusCode, 409);
    assert.equal(tooLate.json().error, 'apology_too_late');
    t.clock.set('2026-03-09T09:00:00+07:00');
  });

  it('derives overdue from dates and marks late completion as not on time', async () => {
    t.clock.set('2026-03-09T09:00:00+07:00');
    const code = await receive();
    await move(code, { to: 4 });
    t.clock.set('2026-03-18T09:00:00+07:00');
    const detail = await t.server.inject({
      url: `/api/v1/dossiers/${code}`,
      headers: { authorization: key.authorization },
    });
    assert.deepEqual(detail.json().progress, { overdue: true, workingDaysLeft: 0, overdueWorkingDays: 2 });
    const list = await t.server.inject({
      url: '/api/v1/dossiers?overdue=true',
      headers: { authorization: key.authorization },
    });
    assert.ok(list.json().items.some((d: { code: string }) => d.code === code));
    const done = await move(code, { to: 9 });
    assert.equal(done.json().onTime, false);
    t.clock.set('2026-03-09T09:00:00+07:00');
  });

  it('lets only the roles of the transition table act, and offers them only their actions', async () => {
    const agency = await buildAgency(t.app);
    const proc = await buildProcedure(t.app, [agency.id]);
    const desk = await buildOfficer(t.app, agency.id, 'desk_officer');
    const viewer = await buildOfficer(t.app, agency.id, 'viewer');
    const leader = await buildOfficer(t.app, agency.id, 'leader');
    const cookie = async (u: { username: string; password: string }) => {
      const res = await t.server.inject({ method: 'POST', url: '/api/auth/login', payload: u });
      return `motcua_session=${res.cookies.find((c) => c.name === 'motcua_session')!.value}`;
    };
    const deskCookie = await cookie(desk);
    const created = await t.server.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { cookie: deskCookie },
      payload: intakeBody(proc.code),
    });
    assert.equal(created.statusCode, 201, created.body);
    const code = created.json().code;
    assert.deepEqual(
      created.json().actions.map((a: { action: string }) => a.action),
      ['start_processing', 'request_supplement', 'refuse', 'request_withdrawal'],
    );
    const asViewer = await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie: await cookie(viewer) },
      payload: { to: 4 },
    });
    assert.equal(asViewer.statusCode, 403);
    await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie: deskCookie },
      payload: { to: 4 },
    });
    const deskCompletes = await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie: deskCookie },
      payload: { to: 9 },
    });
    assert.equal(deskCompletes.statusCode, 403);
    const leaderCompletes = await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie: await cookie(leader) },
      payload: { to: 9 },
    });
    assert.equal(leaderCompletes.statusCode, 200);
    const journal = await t.server.inject({
      url: `/api/dossiers/${code}/journal`,
      headers: { cookie: deskCookie },
    });
    assert.equal(journal.json().at(-1).actorName, leader.full_name);
  });

  it('serialises concurrent transitions of one dossier: exactly one wins', async () => {
    const code = await receive();
    const results = await Promise.all(Array.from({ length: 6 }, () => move(code, { to: 4 })));
    assert.equal(
      results.filter((r) => r.statusCode === 200).length,
      1,
      results.map((r) => r.body).join('\n'),
    );
    assert.equal(results.filter((r) => r.statusCode === 409).length, 5);
  });

  it('keeps the journal append-only in the database', async () => {
    await assert.rejects(
      t.app.db.updateTable('dossier_journal').set({ note: 'sửa' }).execute(),
      /append-only/,
    );
    await assert.rejects(t.app.db.deleteFrom('dossier_journal').execute(), /append-only/);
  });
});
