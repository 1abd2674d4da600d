import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildApiKey, buildProcedure, intakeBody } from '../test-support/factories.ts';
import { storableCopy } from './storable-text.ts';

describe('text PostgreSQL cannot store', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let procedureCode: string;

  before(async () => {
    t = await createTestApp();
    const agency = await buildAgency(t.app);
    key = await buildApiKey(t.app, agency.id);
    procedureCode = (await buildProcedure(t.app, [agency.id])).code;
  });
  after(() => t.close());

  const dossiers = async () =>
    Number(
      (
        await t.app.db
          .selectFrom('dossier')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const request = (url: string, payload?: string) =>
    t.server.inject({
      method: payload === undefined ? 'GET' : 'POST',
      url,
      headers: { authorization: key.authorization, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload }),
    });

  it('is refused with a 400 naming the field, and nothing is written', async () => {
    const before = await dossiers();
    const body = (overrides: Record<string, unknown>) => JSON.stringify(intakeBody(procedureCode, overrides));
    const cases: [string, string][] = [
      [
        'body.applicant.fullName',
        body({ applicant: { ...intakeBody('').applicant, fullName: 'Nguyễn\u0000 Văn An' } }),
      ],
      ['body.note', body({ note: 'half a pair \ud800' })],
      ['body.x\u0000', body({ 'x\u0000': 1 })],
    ];
    for (const [field, payload] of cases) {
      const res = await request('/api/v1/dossiers', payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error, 'invalid_input');
      assert.equal(res.json().details[0].field, field);
      assert.match(res.json().userMessage, /ký tự không hợp lệ/);
    }
    const search = await request('/api/v1/dossiers?q=a%00b');
    assert.equal(search.statusCode, 400);
    assert.equal(search.json().details[0].field, 'query.q');
    assert.equal(await dossiers(), before);

    // Vietnamese with every diacritic, and characters outside the BMP (a pair of surrogates), are text.
    const fine = await request('/api/v1/dossiers', body({ note: 'Ghi chú: Đặng Thị Hới 😀 ở Quảng Trị' }));
    assert.equal(fine.statusCode, 201, fine.body);
  });

  it('is made storable where it must be kept', () => {
    const fine = { message: { text: 'Tra cứu hồ sơ 😀' } };
    assert.equal(storableCopy(fine), fine, 'nothing to replace: the value itself, not a copy');
    assert.deepEqual(storableCopy({ 'k\u0000': ['a\u0000b', '\udc00x', '😀', 3, null] }), {
      'k\uFFFD': ['a\uFFFDb', '\uFFFDx', '😀', 3, null],
    });
  });
});
