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

describe('administrators: procedures and the working-day calendar', () => {
  let t: TestApp;
  let admin: string;
  let desk: string;
  let agencyId: number;
  let procedure: { id: number; code: string };

  before(async () => {
    t = await createTestApp({ now: '2026-11-20T09:00:00+07:00' });
    agencyId = (await buildAgency(t.app)).id;
    const a = await buildOfficer(t.app, agencyId, 'admin');
    const d = await buildOfficer(t.app, agencyId, 'desk_officer');
    admin = await loginCookie(t.server, a.username, a.password);
    desk = await loginCookie(t.server, d.username, d.password);
    procedure = await buildProcedure(t.app, [agencyId], { processingDays: 3 });
  });
  after(() => t.close());

  it('edits a procedure, audited, and only as administrator', async () => {
    const patch = {
      processingDays: 5,
      feeVnd: 50000,
      documents: [{ name: 'Đơn đề nghị', form: 'Bản chính', quantity: 1 }],
    };
    const denied = await t.server.inject({
      method: 'PATCH',
      url: `/api/procedures/${procedure.id}`,
      headers: { cookie: desk },
      payload: patch,
    });
    assert.equal(denied.statusCode, 403);
    const res = await t.server.inject({
      method: 'PATCH',
      url: `/api/procedures/${procedure.id}`,
      headers: { cookie: admin },
      payload: patch,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().processingDays, 5);
    assert.equal(res.json().feeVnd, 50000);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select(['action', 'actor_name'])
      .where('target_type', '=', 'procedure')
      .execute();
    assert.equal(audit.length, 1);
    const bad = await t.server.inject({
      method: 'PATCH',
      url: `/api/procedures/${procedure.id}`,
      headers: { cookie: admin },
      payload: { cutoffTime: '25:00' },
    });
    assert.equal(bad.statusCode, 400);
    await t.server.inject({
      method: 'PATCH',
      url: `/api/procedures/${procedure.id}`,
      headers: { cookie: admin },
      payload: { processingDays: 3 },
    });
  });

  it('shows a year with lunar dates and holidays', async () => {
    const res = await t.server.inject({ url: '/api/calendar/2026', headers: { cookie: desk } });
    const days = res.json();
    assert.equal(days.length, 365);
    const tet = days.find((d: { date: string }) => d.date === '2026-02-17');
    assert.equal(tet.working, false);
    assert.equal(tet.lunar, '1/1');
    assert.match(tet.reason, /Tết Âm lịch/);
  });

  it('adds a day off that new due dates respect, and removes it', async () => {
    const key = await buildApiKey(t.app, agencyId);
    const intake = async () =>
      (
        await t.server.inject({
          method: 'POST',
          url: '/api/v1/dossiers',
          headers: { authorization: key.authorization },
          payload: intakeBody(procedure.code),
        })
      ).json().appointmentDate;
    // Friday 20/11/2026 + 3 working days = Wednesday 25/11.
    assert.equal(await intake(), '2026-11-25');
    const denied = await t.server.inject({
      method: 'PUT',
      url: '/api/calendar/exceptions/2026-11-24',
      headers: { cookie: desk },
      payload: { kind: 'day_off', reason: 'Ngày Văn hóa Việt Nam' },
    });
    assert.equal(denied.statusCode, 403);
    const set = await t.server.inject({
      method: 'PUT',
      url: '/api/calendar/exceptions/2026-11-24',
      headers: { cookie: admin },
      payload: { kind: 'day_off', reason: 'Ngày Văn hóa Việt Nam' },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().working, false);
    assert.equal(await intake(), '2026-11-26');
    const removed = await t.server.inject({
      method: 'DELETE',
      url: '/api/calendar/exceptions/2026-11-24',
      headers: { cookie: admin },
    });
    assert.equal(removed.statusCode, 204);
    assert.equal(await intake(), '2026-11-25');
  });
});
