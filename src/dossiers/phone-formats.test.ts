import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildApiKey, buildProcedure, intakeBody } from '../test-support/factories.ts';

/** The ways citizens write a number with the country code (domain-vn.md, "Corrections, December 2026"). */
describe('phones written with the country code and the trunk 0, or with 00', () => {
  let t: TestApp;
  let authorization: string;
  let procedure: string;

  before(async () => {
    t = await createTestApp();
    const agency = await buildAgency(t.app);
    authorization = (await buildApiKey(t.app, agency.id)).authorization;
    procedure = (await buildProcedure(t.app, [agency.id])).code;
  });
  after(() => t.close());

  it('receives each as the same Zalo-ready number and finds the dossier by any of them', async () => {
    const codes: string[] = [];
    for (const phone of ['+84 (0) 912 345 678', '+84 0912 345 678', '0084 912 345 678']) {
      const res = await t.server.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { authorization },
        payload: intakeBody(procedure, { applicant: { ...intakeBody('x').applicant, phone } }),
      });
      assert.equal(res.statusCode, 201, `${phone}: ${res.body}`);
      codes.push(res.json().code);
    }
    const stored = await t.app.db.selectFrom('dossier').select(['code', 'phone']).execute();
    assert.deepEqual(
      stored.filter((d) => codes.includes(d.code)).map((d) => d.phone),
      ['84912345678', '84912345678', '84912345678'],
    );
    const found = await t.server.inject({
      url: `/api/v1/dossiers?q=${encodeURIComponent('0084 912 345 678')}`,
      headers: { authorization },
    });
    assert.equal(found.json().items.length, 3);
  });
});
