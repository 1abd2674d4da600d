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
import { qrCodesInFile } from '../zalo-sandbox/qr.ts';

/** The connector API against real PostgreSQL: a connected agency fed by an external one-stop system. */
describe('connected agency: dossiers and statuses from an external system', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let ownKey: Awaited<ReturnType<typeof buildApiKey>>;
  let procedureCode: string;
  let adminCookie: string;
  let officerCookie: string;
  let agencyId: number;

  const api = (
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    payload?: object,
    authorization = key.authorization,
  ) => t.server.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
  const dossierBody = (o: Record<string, unknown> = {}) => ({
    procedureCode,
    receivedAt: '2026-03-09T08:30:00+07:00',
    applicant: { fullName: 'Trần Thị Bình', phone: '0912 345 678' },
    notifyByZalo: true,
    ...o,
  });
  const CODE = '000.00.21.H50-260309-0042';

  before(async () => {
    t = await createTestApp();
    const agency = await buildAgency(t.app, { code: '000.00.21.H50' });
    agencyId = agency.id;
    key = await buildApiKey(t.app, agency.id);
    procedureCode = (await buildProcedure(t.app, [agency.id], { processingDays: 3 })).code;
    const admin = await buildOfficer(t.app, agency.id, 'admin');
    const officer = await buildOfficer(t.app, agency.id, 'desk_officer');
    adminCookie = await loginCookie(t.server, admin.username, admin.password);
    officerCookie = await loginCookie(t.server, officer.username, officer.password);
    const own = await buildAgency(t.app);
    ownKey = await buildApiKey(t.app, own.id);
    await buildProcedure(t.app, [own.id]);
  });
  after(() => t.close());

  it('refuses external codes while the agency runs its own desk', async () => {
    const res = await api('PUT', `/api/v1/dossiers/${CODE}`, dossierBody(), ownKey.authorization);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error, 'agency_not_connected');
  });

  it('lets the administrator connect the agency, audit-logged', async () => {
    const res = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/connector/mode',
      headers: { cookie: adminCookie },
      payload: { mode: 'connected' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'agency.desk_mode')
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]!.data, { from: 'own', to: 'connected' });
    const officer = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/connector/mode',
      headers: { cookie: officerCookie },
      payload: { mode: 'own' },
    });
    assert.equal(officer.statusCode, 403);
  });

  it('creates a dossier with their code, computes our appointment, and is idempotent by code', async () => {
    const created = await api(
      'PUT',
      `/api/v1/dossiers/${CODE.toLowerCase().replaceAll('-', ' - ')}`,
      dossierBody(),
    );
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json();
    assert.equal(body.code, CODE);
    assert.equal(body.outcome, 'created');
    assert.equal(body.status, 2);
    assert.deepEqual(body.appointment, {
      given: null,
      computed: '2026-03-12',
      used: '2026-03-12',
      differenceDays: null,
    });
    assert.match(body.lookupUrl, /\/tra-cuu\/000\.00\.21\.H50-260309-0042\?sig=/);
    const again = await api('PUT', `/api/v1/dossiers/${CODE}`, dossierBody());
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().outcome, 'unchanged');
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .selectAll()
      .where('dossier_id', '=', body.id)
      .execute();
    assert.equal(journal.length, 1);
    const outbox = await t.app.db
      .selectFrom('status_change')
      .selectAll()
      .where('dossier_id', '=', body.id)
      .execute();
    assert.deepEqual(
      outbox.map((c) => [c.to_status, c.action]),
      [[2, 'receive']],
    );
  });

  it('updates with their appointment and reports the difference from ours', async () => {
    const res = await api('PUT', `/api/v1/dossiers/${CODE}`, dossierBody({ appointmentDate: '2026-03-16' }));
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.outcome, 'updated');
    assert.deepEqual(body.changed, ['appointmentDate']);
    assert.deepEqual(body.appointment, {
      given: '2026-03-16',
      computed: '2026-03-12',
      used: '2026-03-16',
      differenceDays: 4,
    });
    const d = await api('GET', `/api/v1/dossiers/${CODE}`);
    assert.equal(d.json().appointmentDate, '2026-03-16');
  });

  it('refuses codes that are not in the national format, and codes of another agency', async () => {
    const bad = await api('PUT', '/api/v1/dossiers/HS-12345', dossierBody());
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error, 'invalid_input');
    const unknownProcedure = await api(
      'PUT',
      '/api/v1/dossiers/000.00.21.H50-260309-0043',
      dossierBody({ procedureCode: 'no-such' }),
    );
    assert.equal(unknownProcedure.statusCode, 400);
  });

  it('applies statuses by `at`: a late older event is journaled only, a repeated eventId is a no-op', async () => {
    const status = (eventId: string, s: number, at: string, data?: object) =>
      api('POST', `/api/v1/dossiers/${CODE}/status`, { eventId, status: s, at, ...(data ? { data } : {}) });
    const processing = await status('e-1', 4, '2026-03-09T10:00:00+07:00');
    assert.equal(processing.statusCode, 200, processing.body);
    assert.deepEqual(processing.json(), { code: CODE, eventId: 'e-1', outcome: 'applied', status: 4 });
    // Their lifecycle: 4 → 9 directly, then a supplement request recorded earlier arrives late.
    const done = await status('e-3', 9, '2026-03-11T15:00:00+07:00');
    assert.equal(done.json().outcome, 'applied');
    const late = await status('e-2', 5, '2026-03-10T09:00:00+07:00', { missingDocuments: ['Tờ khai'] });
    assert.deepEqual(late.json(), { code: CODE, eventId: 'e-2', outcome: 'journaled_late', status: 9 });
    const repeated = await status('e-3', 9, '2026-03-11T15:00:00+07:00');
    assert.equal(repeated.json().outcome, 'duplicate');
    const repeatedLate = await status('e-2', 5, '2026-03-10T09:00:00+07:00');
    assert.equal(repeatedLate.json().outcome, 'duplicate');
    // Any status may follow any other: back to processing (newer).
    const reopened = await status('e-4', 4, '2026-03-12T08:00:00+07:00');
    assert.equal(reopened.json().outcome, 'applied');

    const d = await t.app.db
      .selectFrom('dossier')
      .selectAll()
      .where('code', '=', CODE)
      .executeTakeFirstOrThrow();
    assert.equal(d.status, 4);
    assert.equal(d.finished_at, null);
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .select(['action', 'to_status', 'data'])
      .where('dossier_id', '=', d.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      journal.map((j) => [j.action, j.to_status, (j.data as { late?: boolean }).late ?? null]),
      [
        ['receive', 2, null],
        ['external_update', 2, null],
        ['start_processing', 4, false],
        ['complete', 9, false],
        ['request_supplement', 5, true],
        ['start_processing', 4, false],
      ],
    );
    // The outbox holds the applied ones only: no outdated message for the late event.
    const outbox = await t.app.db
      .selectFrom('status_change')
      .select(['to_status', 'action'])
      .where('dossier_id', '=', d.id)
      .orderBy('journal_id')
      .execute();
    assert.deepEqual(
      outbox.map((c) => c.to_status),
      [2, 4, 9, 4],
    );
  });

  it('refuses officers receiving or moving dossiers in a connected agency', async () => {
    const move = await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${CODE}/transitions`,
      headers: { cookie: officerCookie },
      payload: { to: 9 },
    });
    assert.equal(move.statusCode, 409, move.body);
    assert.equal(move.json().error, 'agency_connected');
    const receive = await t.server.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { cookie: officerCookie },
      payload: intakeBody(procedureCode),
    });
    assert.equal(receive.statusCode, 409, receive.body);
    // They still see it.
    const view = await t.server.inject({ url: `/api/dossiers/${CODE}`, headers: { cookie: officerCookie } });
    assert.equal(view.statusCode, 200);
  });

  it('syncs a batch answering each item, bad rows included, in order per dossier', async () => {
    const items: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      const code = `000.00.21.H50-260308-${String(i + 1).padStart(4, '0')}`;
      items.push({ type: 'dossier', code, ...dossierBody({ receivedAt: '2026-03-08T08:00:00+07:00' }) });
      items.push({ type: 'status', code, eventId: `s-${i}-a`, status: 4, at: '2026-03-08T09:00:00+07:00' });
      items.push({ type: 'status', code, eventId: `s-${i}-b`, status: 9, at: '2026-03-08T10:00:00+07:00' });
    }
    items.splice(5, 0, {
      type: 'status',
      code: 'not a code',
      eventId: 'x',
      status: 4,
      at: '2026-03-08T09:00:00Z',
    });
    items.splice(7, 0, { type: 'nonsense' });
    items.splice(9, 0, {
      type: 'status',
      code: '000.00.21.H50-260308-9999',
      eventId: 'y',
      status: 4,
      at: '2026-03-08T09:00:00Z',
    });
    items.splice(11, 0, { type: 'status', code: CODE, eventId: 'z', status: 42, at: '2026-03-08T09:00:00Z' });
    const res = await api('POST', '/api/v1/sync', { items });
    assert.equal(res.statusCode, 200, res.body);
    const results = res.json().results as { index: number; ok: boolean; error?: { code: string } }[];
    assert.equal(results.length, items.length);
    assert.deepEqual(
      results.filter((r) => !r.ok).map((r) => [r.index, r.error!.code]),
      [
        [5, 'invalid_input'],
        [7, 'invalid_input'],
        [9, 'dossier_not_found'],
        [11, 'invalid_input'],
      ],
    );
    const finished = await t.app.db
      .selectFrom('dossier')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', 'like', '000.00.21.H50-260308-%')
      .where('status', '=', 9)
      .executeTakeFirstOrThrow();
    assert.equal(Number(finished.n), 50);
    const tooMany = await api('POST', '/api/v1/sync', { items: new Array(1001).fill({}) });
    assert.equal(tooMany.statusCode, 400);
  });

  it('gives their receipt the signed look-up QR (PNG, SVG) and link', async () => {
    const link = await api('GET', `/api/v1/dossiers/${CODE}/lookup-link`);
    assert.equal(link.statusCode, 200, link.body);
    const { url, text } = link.json();
    assert.match(url, /^https:\/\/motcua\.test\/tra-cuu\/000\.00\.21\.H50-260309-0042\?sig=[\w-]{22}$/);
    assert.match(text, /000\.00\.21\.H50-260309-0042/);
    const png = await api('GET', `/api/v1/dossiers/${CODE}/lookup-qr.png`);
    assert.equal(png.statusCode, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.equal(decodeURIComponent(String(png.headers['x-lookup-text'])), text);
    assert.deepEqual(await qrCodesInFile(png.rawPayload, 'image/png'), [url]);
    const svg = await api('GET', `/api/v1/dossiers/${CODE}/lookup-qr.svg`);
    assert.equal(svg.statusCode, 200);
    assert.match(svg.body, /^<svg/);
    const signedPage = await t.server.inject({ url: new URL(url).pathname + new URL(url).search });
    assert.equal(signedPage.statusCode, 200);
    assert.match(signedPage.body, /000\.00\.21\.H50-260309-0042/);
    const other = await api('GET', `/api/v1/dossiers/${CODE}/lookup-link`, undefined, ownKey.authorization);
    assert.equal(other.statusCode, 404);
  });

  it('an officer sees the dossier and the agency is connected on the admin page', async () => {
    const res = await t.server.inject({ url: '/api/admin/connector', headers: { cookie: adminCookie } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().mode, 'connected');
    assert.ok(agencyId > 0);
  });
});
