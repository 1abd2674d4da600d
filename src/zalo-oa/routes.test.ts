import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import QRCode from 'qrcode';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildOfficer } from '../test-support/factories.ts';
import { qrCodesInFile, readPdf } from '../zalo-sandbox/qr.ts';

/** The OA QR and the desk poster over HTTP on real PostgreSQL (moved from the look-up's tests with their routes). */
describe('Zalo OA QR and poster', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    // The province (named on the poster) comes with the first agency; the site's facts are kept a minute.
    await buildAgency(t.app);
  });
  after(() => t.close());

  it('serves the OA QR as a JPEG, or the image an administrator uploaded', async () => {
    const generated = await t.server.inject({ url: '/qrcode/zalo-qrcode.jpg' });
    assert.equal(generated.headers['content-type'], 'image/jpeg');
    assert.deepEqual(await qrCodesInFile(generated.rawPayload, 'image/jpeg'), [
      `${t.app.config.http.publicBaseUrl}/sandbox/phone`,
    ]);

    const admin = await buildOfficer(t.app, (await buildAgency(t.app)).id, 'admin');
    const cookie = await loginCookie(t.server, admin.username, admin.password);
    const png = await QRCode.toBuffer('https://zalo.me/uploaded-oa', { scale: 6 });
    const upload = await t.server.inject({
      method: 'PUT',
      url: '/api/zalo/oa-qr',
      headers: { cookie, 'content-type': 'image/png' },
      payload: png,
    });
    assert.equal(upload.statusCode, 204, upload.body);
    const uploaded = await t.server.inject({ url: '/qrcode/zalo-qrcode.jpg' });
    assert.deepEqual(await qrCodesInFile(uploaded.rawPayload, 'image/jpeg'), ['https://zalo.me/uploaded-oa']);
    const junk = await t.server.inject({
      method: 'PUT',
      url: '/api/zalo/oa-qr',
      headers: { cookie, 'content-type': 'image/jpeg' },
      payload: Buffer.from('not a jpeg'),
    });
    assert.equal(junk.statusCode, 400);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'zalo.oa_qr.upload')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(
      (await t.server.inject({ method: 'DELETE', url: '/api/zalo/oa-qr', headers: { cookie } })).statusCode,
      204,
    );
    const back = await t.server.inject({ url: '/qrcode/zalo-qrcode.jpg' });
    assert.deepEqual(await qrCodesInFile(back.rawPayload, 'image/jpeg'), [
      `${t.app.config.http.publicBaseUrl}/sandbox/phone`,
    ]);
  });

  it('prints the desk poster with the OA QR, the three steps and the hotline', async () => {
    const res = await t.server.inject({ url: '/qrcode/tra-cuu-zalo.pdf' });
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = await readPdf(res.rawPayload);
    assert.equal(pdf.pages, 1);
    for (const text of [
      'TRA CỨU HỒ SƠ QUA ZALO',
      'Dịch vụ công tỉnh Quảng Trị',
      'Gửi mã hồ sơ',
      '0232 3822 123',
    ]) {
      assert.ok(pdf.text.includes(text), `poster lacks ${text}: ${pdf.text}`);
    }
    assert.deepEqual(pdf.qrCodes, [`${t.app.config.http.publicBaseUrl}/sandbox/phone`]);
  });
});
