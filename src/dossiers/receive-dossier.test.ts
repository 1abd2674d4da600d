import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildApiKey, buildProcedure, intakeBody } from '../test-support/factories.ts';
import { statusChangeOutbox } from '../test-support/jobs.ts';

describe('POST /api/v1/dossiers (intake)', () => {
  let t: TestApp;
  let agency: Awaited<ReturnType<typeof buildAgency>>;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let procedureCode: string;

  before(async () => {
    t = await createTestApp({ now: '2026-03-09T09:00:00+07:00' });
    agency = await buildAgency(t.app, { code: '000.17.22.H56' });
    key = await buildApiKey(t.app, agency.id);
    procedureCode = (await buildProcedure(t.app, [agency.id], { processingDays: 3 })).code;
  });
  after(() => t.close());

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { authorization: key.authorization, ...headers },
      payload: payload as object,
    });

  it('receives a dossier: national code, due date, links, journal and job in one transaction', async () => {
    const res = await post(intakeBody(procedureCode));
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.match(body.code, /^000\.17\.22\.H56-260309-\d{4}$/);
    assert.equal(body.status, 2);
    assert.equal(body.appointmentDate, '2026-03-12');
    assert.equal(body.receiptUrl, `https://motcua.test/api/v1/dossiers/${body.code}/receipt.pdf`);
    assert.match(
      body.lookupUrl,
      new RegExp(`^https://motcua\\.test/tra-cuu/${body.code.replaceAll('.', '\\.')}\\?sig=[\\w-]{22}$`),
    );

    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .selectAll()
      .where('dossier_id', '=', body.id)
      .execute();
    assert.equal(journal.length, 1);
    assert.equal(journal[0]!.to_status, 2);
    const outbox = (await statusChangeOutbox(t.app.db)).filter((c) => c.dossier_id === body.id);
    assert.deepEqual(
      outbox.map((c) => [c.journal_id, c.from_status, c.to_status, c.action]),
      [[journal[0]!.id, null, 2, 'receive']],
    );
  });

  it('normalises text and phones, converting an old 11-digit number', async () => {
    const res = await post(
      intakeBody(procedureCode, {
        applicant: {
          fullName: '  Nguye\u0302\u0303n   Văn  Bình ',
          idNumber: '044 090 001 235',
          phone: '0168 123 4567',
          email: ' An@Example.VN ',
        },
      }),
    );
    assert.equal(res.statusCode, 201, res.body);
    const detail = await t.server.inject({
      url: `/api/v1/dossiers/${res.json().code}`,
      headers: { authorization: key.authorization },
    });
    const d = detail.json();
    assert.equal(d.applicant.fullName, 'Nguyễn Văn Bình');
    assert.equal(d.applicant.fullName, d.applicant.fullName.normalize('NFC'));
    assert.equal(d.applicant.idNumber, '044090001235');
    assert.equal(d.applicant.phone, '84381234567');
    assert.equal(d.applicant.email, 'an@example.vn');
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .select('data')
      .where('dossier_id', '=', d.id)
      .executeTakeFirstOrThrow();
    assert.equal(
      (journal.data as unknown as { phoneConvertedFrom: string }).phoneConvertedFrom,
      '01681234567',
    );
  });

  it('rejects bad input with every problem named, in English and Vietnamese, and writes nothing', async () => {
    const before = await t.app.db
      .selectFrom('dossier')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const res = await post(
      intakeBody(procedureCode, {
        applicant: { fullName: '', idNumber: '12345', phone: '0242 123', email: 'không-phải-email' },
      }),
    );
    assert.equal(res.statusCode, 400);
    const problem = res.json();
    assert.equal(problem.error, 'invalid_input');
    const fields = problem.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, [
      'applicant.email',
      'applicant.fullName',
      'applicant.idNumber',
      'applicant.phone',
    ]);
    assert.match(problem.userMessage, /Số CCCD\/số định danh cá nhân phải gồm đúng 12 chữ số/);
    const after = await t.app.db
      .selectFrom('dossier')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  it('requires a mobile number to opt into Zalo', async () => {
    const res = await post(
      intakeBody(procedureCode, { applicant: { ...intakeBody('x').applicant, phone: '0232 3822 123' } }),
    );
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().details[0].field, 'notifyByZalo');
    const ok = await post(
      intakeBody(procedureCode, {
        notifyByZalo: false,
        applicant: { ...intakeBody('x').applicant, phone: '0232 3822 123' },
      }),
    );
    assert.equal(ok.statusCode, 201, ok.body);
  });

  it('refuses a procedure the agency does not receive', async () => {
    const other = await buildAgency(t.app);
    const foreign = await buildProcedure(t.app, [other.id]);
    const res = await post(intakeBody(foreign.code));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().details[0].field, 'procedureCode');
  });

  it('answers 401 without a valid API key and 400 on a malformed body', async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      payload: intakeBody(procedureCode),
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error, 'authentication_required');
    const bad = await t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { authorization: 'Bearer mck_abcdefgh_wrong' },
      payload: intakeBody(procedureCode),
    });
    assert.equal(bad.statusCode, 401);
    const malformed = await post({ procedureCode: 5 });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error, 'invalid_request');
  });

  it('honours Idempotency-Key: same key and body → same dossier; other body → 422', async () => {
    const body = intakeBody(procedureCode, { note: 'idempotent' });
    const first = await post(body, { 'idempotency-key': 'abc-123' });
    const again = await post(body, { 'idempotency-key': 'abc-123' });
    assert.equal(first.statusCode, 201);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().code, first.json().code);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () =>
        post(intakeBody(procedureCode, { note: 'race' }), { 'idempotency-key': 'race-1' }),
      ),
    );
    assert.equal(new Set(concurrent.map((r) => r.json().code)).size, 1);
    const different = await post(intakeBody(procedureCode, { note: 'other' }), {
      'idempotency-key': 'abc-123',
    });
    assert.equal(different.statusCode, 422);
    assert.equal(different.json().error, 'idempotency_key_reused');
  });

  it('never duplicates codes and leaves no gaps under 50 concurrent intakes', async () => {
    const fresh = await buildAgency(t.app);
    const freshKey = await buildApiKey(t.app, fresh.id);
    const proc = await buildProcedure(t.app, [fresh.id]);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.server.inject({
          method: 'POST',
          url: '/api/v1/dossiers',
          headers: { authorization: freshKey.authorization },
          payload: intakeBody(proc.code, { note: `#${i}` }),
        }),
      ),
    );
    assert.ok(results.every((r) => r.statusCode === 201));
    const sequences = results.map((r) => Number(r.json().code.slice(-4))).sort((a, b) => a - b);
    assert.deepEqual(
      sequences,
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it('returns a failed intake’s number to the sequence (gap-free on rollback)', async () => {
    const fresh = await buildAgency(t.app);
    const freshKey = await buildApiKey(t.app, fresh.id);
    const proc = await buildProcedure(t.app, [fresh.id]);
    // A journal insert that fails after the counter moved rolls the whole intake back.
    await sql`create or replace function fail_once() returns trigger language plpgsql as $$
      begin if new.note = 'boom' then raise exception 'boom'; end if; return new; end $$`.execute(t.app.db);
    await sql`create trigger fail_once before insert on dossier_journal for each row execute function fail_once()`.execute(
      t.app.db,
    );
    try {
      const send = (note: string) =>
        t.server.inject({
          method: 'POST',
          url: '/api/v1/dossiers',
          headers: { authorization: freshKey.authorization },
          payload: intakeBody(proc.code, { note }),
        });
      assert.equal((await send('one')).statusCode, 201);
      assert.equal((await send('boom')).statusCode, 500);
      const third = await send('two');
      assert.equal(third.json().code.slice(-4), '0002');
    } finally {
      await sql`drop trigger fail_once on dossier_journal`.execute(t.app.db);
    }
  });

  it('starts the next sequence on a new day, in Vietnam time', async () => {
    const fresh = await buildAgency(t.app);
    const freshKey = await buildApiKey(t.app, fresh.id);
    const proc = await buildProcedure(t.app, [fresh.id]);
    const send = () =>
      t.server.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { authorization: freshKey.authorization },
        payload: intakeBody(proc.code),
      });
    t.clock.set('2026-03-09T23:59:00+07:00');
    assert.match((await send()).json().code, /-260309-0001$/);
    t.clock.set('2026-03-09T17:01:00Z'); // 00:01 on 10/03 in Vietnam
    assert.match((await send()).json().code, /-260310-0001$/);
    t.clock.set('2026-03-09T09:00:00+07:00');
  });
});
