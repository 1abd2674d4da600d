import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lookupSignature } from '../lookup/signed-link.ts';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
} from '../test-support/factories.ts';
import { readPdf } from '../test-support/pdf.ts';

describe('printed forms', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let cookie: string;
  let code: string;

  before(async () => {
    t = await createTestApp({ now: '2026-03-09T14:05:00+07:00' });
    const agency = await buildAgency(t.app, {
      code: '000.00.01.H50',
      name: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Trị',
    });
    key = await buildApiKey(t.app, agency.id);
    const officer = await buildOfficer(t.app, agency.id, 'desk_officer', 'Trần Thị Tiếp');
    cookie = await loginCookie(t.server, officer.username, officer.password);
    const proc = await buildProcedure(t.app, [agency.id], {
      name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
      processingDays: 3,
      feeVnd: 15000,
      documents: [
        { name: 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân', form: 'Bản chính', quantity: 1 },
        { name: 'Bản sao Căn cước công dân', form: 'Bản sao', quantity: 2 },
      ],
    });
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { cookie },
      payload: intakeBody(proc.code, {
        applicant: {
          fullName: 'Nguyễn Thị Ánh Tuyết',
          idNumber: '044190001234',
          phone: '0905 123 456',
          address: 'Số 8 Lý Thường Kiệt, phường Đồng Hới',
        },
      }),
    });
    code = res.json().code;
  });
  after(() => t.close());

  it('renders the receipt (Mẫu 01) with Vietnamese text and a QR of the signed look-up link', async () => {
    const res = await t.server.inject({
      url: `/api/v1/dossiers/${code}/receipt.pdf`,
      headers: { authorization: key.authorization },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = await readPdf(res.rawPayload);
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      `Mã hồ sơ: ${code}`,
      'Nguyễn Thị Ánh Tuyết',
      '044190001234',
      '0905 123 456',
      'Bản sao Căn cước công dân',
      '14 giờ 05 phút, ngày 09 tháng 03 năm 2026',
      '17 giờ 00 phút, ngày 12 tháng 03 năm 2026',
      'Dịch vụ công tỉnh Quảng Trị',
      'Ông/Bà đã đăng ký nhận thông báo trạng thái hồ sơ qua Zalo',
      'Trần Thị Tiếp',
      '15.000 đồng',
    ]) {
      assert.ok(pdf.text.replace(/\s+/g, ' ').includes(expected), `missing: ${expected}`);
    }
    assert.deepEqual(pdf.qrCodes, [
      `https://motcua.test/tra-cuu/${code}?sig=${lookupSignature(t.app.config.secrets.lookupLink, code)}`,
    ]);
  });

  it('renders the supplement request (Mẫu 02) with the missing documents, and refuses it before one exists', async () => {
    const before = await t.server.inject({
      url: `/api/dossiers/${code}/supplement.pdf`,
      headers: { cookie },
    });
    assert.equal(before.statusCode, 404);
    assert.equal(before.json().error, 'form_not_available');
    await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie },
      payload: {
        to: 5,
        reason: 'Hồ sơ chưa đủ thành phần',
        missingDocuments: ['Giấy khai sinh (bản sao)', 'Ảnh 4x6'],
      },
    });
    const res = await t.server.inject({ url: `/api/dossiers/${code}/supplement.pdf`, headers: { cookie } });
    const text = (await readPdf(res.rawPayload)).text.replace(/\s+/g, ' ');
    for (const expected of [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      '1. Giấy khai sinh (bản sao)',
      '2. Ảnh 4x6',
      'Hồ sơ chưa đủ thành phần',
      'NGƯỜI HƯỚNG DẪN',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
  });

  it('renders the refusal (Mẫu 03) and the apology with the new date (TT 03/2025 title)', async () => {
    const leader = await buildOfficer(
      t.app,
      (
        await t.app.db
          .selectFrom('agency')
          .select('id')
          .where('code', '=', '000.00.01.H50')
          .executeTakeFirstOrThrow()
      ).id,
      'leader',
      'Phạm Minh Duyệt',
    );
    const leaderCookie = await loginCookie(t.server, leader.username, leader.password);
    await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie },
      payload: { to: 4 },
    });
    const apology = await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie: leaderCookie },
      payload: {
        to: 4,
        action: 'apologise',
        reason: 'Cần xác minh tại nơi cư trú cũ',
        newDueDate: '2026-03-20',
      },
    });
    assert.equal(apology.statusCode, 200, apology.body);
    const pdf = await t.server.inject({ url: `/api/dossiers/${code}/apology.pdf`, headers: { cookie } });
    const text = (await readPdf(pdf.rawPayload)).text.replace(/\s+/g, ' ');
    for (const expected of [
      'VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT',
      'Cần xác minh tại nơi cư trú cũ',
      'đề nghị gia hạn thời gian giải quyết hồ sơ đến ngày 20/03/2026',
      'Phạm Minh Duyệt',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
    await t.server.inject({
      method: 'POST',
      url: `/api/dossiers/${code}/transitions`,
      headers: { cookie },
      payload: { to: 3, reason: 'Không đủ điều kiện theo quy định' },
    });
    const refusal = await t.server.inject({ url: `/api/dossiers/${code}/refusal.pdf`, headers: { cookie } });
    const refusalText = (await readPdf(refusal.rawPayload)).text.replace(/\s+/g, ' ');
    assert.ok(refusalText.includes('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ'));
    assert.ok(refusalText.includes('Không đủ điều kiện theo quy định'));
  });
});
