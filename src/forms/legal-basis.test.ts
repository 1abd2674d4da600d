import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';
import { readPdf } from '../test-support/pdf.ts';

/**
 * Forms and citations follow the texts in force on the dossier's reception date: NĐ 61/2018 and TT 01/2018
 * before 1/7/2025, NĐ 118/2025/NĐ-CP after (TT 03/2025's forms from 15/9/2025). Stopping a dossier, the
 * citizen's withdrawal included, prints the stop notice, never the refusal slip (Mẫu 03).
 */
describe('forms and legal basis by date', () => {
  let t: TestApp;
  let authorization: string;
  let procedure: string;

  before(async () => {
    t = await createTestApp({ now: '2026-03-09T09:00:00+07:00' });
    const agency = await buildAgency(t.app);
    authorization = (await buildApiKey(t.app, agency.id)).authorization;
    procedure = (await buildProcedure(t.app, [agency.id], { processingDays: 5 })).code;
  });
  after(() => t.close());

  const receiveOn = async (at: string) => {
    t.clock.set(at);
    return (await receiveViaApi(t.server, authorization, intakeBody(procedure))).code;
  };
  const move = async (code: string, body: object, status = 200) => {
    const res = await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization },
      payload: body,
    });
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  };
  const pdfText = async (code: string, form: string) => {
    const res = await t.server.inject({
      url: `/api/v1/dossiers/${code}/${form}.pdf`,
      headers: { authorization },
    });
    assert.equal(res.statusCode, 200, res.body);
    return (await readPdf(res.rawPayload)).text.replace(/\s+/g, ' ');
  };

  it('prints the stop notice of TT 03/2025 for a withdrawal, and no refusal slip', async () => {
    const code = await receiveOn('2026-03-09T09:00:00+07:00');
    await move(code, { to: 4 });
    await move(code, { to: 7, reason: 'Công dân xin rút để bổ sung giấy tờ' });
    const stopped = await move(code, { to: 8, reason: 'Công dân đề nghị rút hồ sơ' });
    assert.deepEqual(
      stopped.forms.map((f: { kind: string; title: string; formNumber: string | null }) => [
        f.kind,
        f.title,
        f.formNumber,
      ]),
      [
        ['receipt', 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', '01'],
        ['stop', 'Thông báo dừng giải quyết hồ sơ', '05'],
      ],
    );
    const text = await pdfText(code, 'stop');
    for (const expected of [
      'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
      'Theo đề nghị rút hồ sơ của Ông/Bà',
      'Công dân đề nghị rút hồ sơ',
      'Mẫu số 05 – Thông tư số 03/2025/TT-VPCP',
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}`);
    }
    assert.ok(!text.includes('TỪ CHỐI'));
    const refusal = await t.server.inject({
      url: `/api/v1/dossiers/${code}/refusal.pdf`,
      headers: { authorization },
    });
    assert.equal(refusal.statusCode, 404);
    assert.equal(refusal.json().error, 'form_not_available');
  });

  it('keeps a dossier received under NĐ 61/2018 on its forms and citations', async () => {
    // Received Friday 20/06/2025: NĐ 61/2018 and TT 01/2018. Due Friday 27/06/2025.
    const code = await receiveOn('2025-06-20T09:00:00+07:00');
    await move(code, { to: 4 });
    t.clock.set('2025-06-23T09:00:00+07:00');
    await move(code, { to: 4, action: 'apologise', reason: 'Chờ xác minh', newDueDate: '2025-07-04' });
    const twice = await move(
      code,
      { to: 4, action: 'apologise', reason: 'x', newDueDate: '2025-07-11' },
      409,
    );
    assert.match(twice.message, /NĐ 61\/2018, Điều 19 khoản 9/);
    const apology = await pdfText(code, 'apology');
    assert.ok(apology.includes('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ'));
    assert.ok(apology.includes('sẽ trả kết quả giải quyết hồ sơ vào ngày 04/07/2025'));
    assert.ok(apology.includes('Mẫu số 04 – Thông tư số 01/2018/TT-VPCP'));
    t.clock.set('2025-07-02T09:00:00+07:00');
    await move(code, { to: 8, reason: 'Hồ sơ không đủ điều kiện giải quyết' });
    const stop = await pdfText(code, 'stop');
    assert.ok(stop.includes('THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ'));
    assert.ok(stop.includes('thông báo dừng giải quyết hồ sơ nêu trên với lý do như sau'));
    // TT 01/2018 has no stop form: the notice names the decree instead of a form number.
    assert.ok(stop.includes('Căn cứ Nghị định số 61/2018/NĐ-CP'), stop);
    assert.ok(!stop.includes('Mẫu số'));
  });

  it('cites NĐ 118/2025 from 1/7/2025, with TT 01/2018’s forms until TT 03/2025 applies', async () => {
    const code = await receiveOn('2025-07-01T09:00:00+07:00');
    await move(code, { to: 4 });
    await move(code, { to: 4, action: 'apologise', reason: 'Chờ xác minh', newDueDate: '2025-07-15' });
    const twice = await move(
      code,
      { to: 4, action: 'apologise', reason: 'x', newDueDate: '2025-07-16' },
      409,
    );
    assert.match(twice.userMessage, /NĐ 118\/2025/);
    assert.doesNotMatch(twice.userMessage, /61\/2018/);
    await move(code, { to: 8, reason: 'Hồ sơ không đủ điều kiện giải quyết' });
    assert.ok((await pdfText(code, 'stop')).includes('Căn cứ Nghị định số 118/2025/NĐ-CP'));
  });
});
