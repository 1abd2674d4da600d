import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loginCookie } from '../test-support/app.ts';
import { buildOfficer } from '../test-support/factories.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { DEFAULT_PLACEHOLDER, statusChangeFacts, templateData } from './template-values.ts';

/**
 * Every parameter of the bound template is sent: an empty value (no amount outside a fee notice, no reason)
 * gets its parameter's placeholder ("—" by default) instead of being left out, which Zalo refuses (-1122).
 */
describe('template parameters without a value', () => {
  const facts = statusChangeFacts(
    {
      applicant_name: 'Nguyễn Văn An',
      code: '000.00.01.H50-260309-0001',
      procedure_name: 'Chứng thực bản sao',
      agency_name: 'Trung tâm Phục vụ hành chính công',
      due_date: '2026-03-12',
    },
    { action: 'receive', to_status: 2, data: {} },
  );

  it('sends each empty value as its placeholder, never dropping the key', () => {
    const data = templateData(
      [
        { name: 'ma_ho_so', source: 'dossier_code', maxLength: 30 },
        { name: 'so_tien', source: 'amount', maxLength: 20 },
        { name: 'ly_do', source: 'reason', maxLength: 90, placeholder: 'Không có' },
        { name: 'giay_to', source: 'missing_documents', maxLength: 3, placeholder: 'Không cần bổ sung' },
        { name: 'la', source: 'no such source', maxLength: 30 },
      ],
      facts,
    );
    assert.deepEqual(data, {
      ma_ho_so: '000.00.01.H50-260309-0001',
      so_tien: DEFAULT_PLACEHOLDER,
      ly_do: 'Không có',
      giay_to: 'Kh…',
      la: '—',
    });
  });

  let desk: ZaloDesk;
  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    desk.sandbox().options.receiptDelayMs = 10;
  });
  after(() => desk.t.close());

  it('reaches the citizen through a template whose parameters are all required', async () => {
    const { t } = desk;
    desk.sandbox().templates.set('419005', {
      id: '419005',
      name: 'Tiếp nhận hồ sơ',
      status: 'ENABLE',
      tag: 1,
      params: [
        { name: 'ma_ho_so', type: 'code', maxLength: 30, require: true },
        { name: 'so_tien', type: 'amount', maxLength: 20, require: true },
        { name: 'ly_do', type: 'note', maxLength: 90, require: true },
      ],
      body: 'Hồ sơ <ma_ho_so> đã được tiếp nhận. Phí: <so_tien>. Ghi chú: <ly_do>',
    });
    const admin = await buildOfficer(t.app, desk.agencyId, 'admin');
    const saved = await t.server.inject({
      method: 'PUT',
      url: '/api/zalo/templates/status.2',
      headers: { cookie: await loginCookie(t.server, admin.username, admin.password) },
      payload: {
        templateId: '419005',
        params: [
          { name: 'ma_ho_so', source: 'dossier_code', maxLength: 30 },
          { name: 'so_tien', source: 'amount', maxLength: 20 },
          { name: 'ly_do', source: 'reason', maxLength: 90, placeholder: 'Không có' },
        ],
      },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const d = await desk.intake('0912 810 001');
    await desk.settle(d.id, (ns) => ['sent', 'delivered', 'failed'].includes(ns[0]?.state ?? ''));
    const [n] = await desk.notifications(d.id);
    assert.notEqual(n!.state, 'failed', `${n!.error_code} ${n!.error_message}`);
    const sent = desk.sandbox().messages.find((m) => m.msgId === n!.provider_msg_id)!;
    assert.deepEqual(sent.templateData, { ma_ho_so: d.code, so_tien: '—', ly_do: 'Không có' });
    assert.equal(sent.text, `Hồ sơ ${d.code} đã được tiếp nhận. Phí: —. Ghi chú: Không có`);
  });
});
