import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ensureDefaultBindings } from '../notifications/bindings.ts';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';
import { filterDossiers } from './repo.ts';

/** The officer app finds a dossier however its code is typed: whole, by its end, in any case, with spaces. */
describe('codes in the officer app: search and addresses', () => {
  let t: TestApp;
  let cookie: string;
  let adminCookie: string;
  let agencyId: number;
  const codes: string[] = [];

  before(async () => {
    t = await createTestApp({ now: '2026-12-07T09:00:00+07:00' });
    const agency = await buildAgency(t.app, { code: '000.00.01.H50' });
    agencyId = agency.id;
    const key = await buildApiKey(t.app, agency.id);
    const procedure = await buildProcedure(t.app, [agency.id]);
    cookie = await loginCookie(t.server, ...credentials(await buildOfficer(t.app, agency.id)));
    adminCookie = await loginCookie(t.server, ...credentials(await buildOfficer(t.app, agency.id, 'admin')));
    await ensureDefaultBindings(t.app.db);
    for (const day of ['2026-12-04', '2026-12-07']) {
      t.clock.set(`${day}T09:00:00+07:00`);
      for (let i = 0; i < 8; i++) {
        const body = intakeBody(procedure.code, {
          applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '044190001234', phone: `09051234${i}${i}` },
        });
        codes.push((await receiveViaApi(t.server, key.authorization, body)).code);
      }
    }
    assert.equal(codes.at(-2), '000.00.01.H50-261207-0007');
  });
  after(() => t.close());

  const credentials = (o: { username: string; password: string }) => [o.username, o.password] as const;
  const search = async (q: string) => {
    const res = await t.server.inject({
      url: `/api/dossiers?q=${encodeURIComponent(q)}`,
      headers: { cookie },
    });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().items as { code: string }[]).map((d) => d.code);
  };

  it('finds a dossier by the end of its code, as the docs promise', async () => {
    for (const q of [
      '261207-0007',
      'H50-261207-0007',
      'h50-261207-0007',
      '01.H50 - 261207 - 0007',
      ' 261207 – 0007 ',
    ]) {
      assert.deepEqual(await search(q), ['000.00.01.H50-261207-0007'], q);
    }
    // The day alone is part of a code: every dossier of that day.
    assert.equal((await search('261204')).length, 8);
  });

  it('finds the whole code in lower case or with spaces, and still a phone or an ID number', async () => {
    for (const q of ['000.00.01.h50-261207-0007', '000.00.01.H50 - 261207 - 0007', '0000001H502612070007']) {
      assert.deepEqual(await search(q), ['000.00.01.H50-261207-0007'], q);
    }
    assert.equal((await search('0905 1234 66')).length, 2);
    assert.equal((await search('044190001234')).length, 16);
  });

  it('opens a dossier, its journal, its receipt and the template preview with the code in any case', async () => {
    const typed = encodeURIComponent('000.00.01.h50 - 261207 - 0007');
    for (const url of [
      `/api/dossiers/${typed}`,
      `/api/dossiers/${typed}/journal`,
      `/api/dossiers/${typed}/notifications`,
      `/api/dossiers/${typed}/receipt.pdf`,
    ]) {
      const res = await t.server.inject({ url, headers: { cookie } });
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
    }
    // Files are named in Vietnamese without diacritics, after the canonical code.
    const receipt = await t.server.inject({ url: `/api/dossiers/${typed}/receipt.pdf`, headers: { cookie } });
    assert.equal(
      receipt.headers['content-disposition'],
      'inline; filename="phieu-tiep-nhan-000.00.01.H50-261207-0007.pdf"',
    );
    const dossier = await t.server.inject({ url: `/api/dossiers/${typed}`, headers: { cookie } });
    assert.equal(dossier.json().code, '000.00.01.H50-261207-0007');
    const preview = await t.server.inject({
      url: `/api/zalo/templates/preview?code=${typed}`,
      headers: { cookie: adminCookie },
    });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.equal(preview.json().templateData.ma_ho_so, '000.00.01.H50-261207-0007');
  });

  it('answers "ends with" from the reversed-code index', async () => {
    const compiled = filterDossiers(t.app.db, { agencyId, search: { codeEnd: '261207-0007' } })
      .select('d.id')
      .compile();
    const plan = await t.app.db.transaction().execute(async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      return (await tx.executeQuery({ ...compiled, sql: `explain ${compiled.sql}` })).rows;
    });
    assert.match(JSON.stringify(plan), /dossier_code_reversed_idx/);
  });
});
