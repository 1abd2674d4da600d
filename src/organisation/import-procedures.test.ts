import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildOfficer, buildProcedure, intakeBody } from '../test-support/factories.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = [
  'STT',
  'Mã thủ tục',
  'Tên thủ tục',
  'Cấp thực hiện',
  'Lĩnh vực',
  'Thời hạn giải quyết',
  'Phí, lệ phí',
  'Thành phần hồ sơ',
  'Cơ quan thực hiện',
];

/** A workbook shaped like the national catalogue's export: a title, the header, a section row, procedures. */
async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Danh sách TTHC');
  sheet.addRow(['DANH MỤC THỦ TỤC HÀNH CHÍNH TỈNH QUẢNG TRỊ']);
  sheet.addRow([]);
  sheet.addRow(HEADER);
  sheet.addRow(['', '', 'I. Lĩnh vực Hộ tịch']);
  for (const r of rows) {
    sheet.addRow(r);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * Administrators import the province's procedure list from the national catalogue's Excel export: preview,
 * row-level Vietnamese errors, nothing written when any row is invalid, one audited transaction otherwise.
 */
describe('procedure import from the national catalogue (Excel)', () => {
  let t: TestApp;
  let admin: string;
  let desk: string;
  let centre: { id: number };
  let ward: { id: number };
  let existingCode: string;
  let untouchedCode: string;

  before(async () => {
    t = await createTestApp();
    centre = await buildAgency(t.app, { name: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Trị' });
    ward = await buildAgency(t.app, { name: 'Bộ phận Một cửa UBND phường Đồng Hới' });
    await t.app.db.updateTable('agency').set({ commune_code: null }).execute();
    await sql`insert into commune (code, province_code, name, kind) values ('18880', '44', 'Phường Đồng Hới', 'phuong')`.execute(
      t.app.db,
    );
    await t.app.db.updateTable('agency').set({ commune_code: '18880' }).where('id', '=', ward.id).execute();
    const a = await buildOfficer(t.app, centre.id, 'admin');
    const d = await buildOfficer(t.app, centre.id, 'desk_officer');
    admin = await loginCookie(t.server, a.username, a.password);
    desk = await loginCookie(t.server, d.username, d.password);
    existingCode = (
      await buildProcedure(t.app, [centre.id], {
        code: '1.004873',
        name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
        processingDays: 5,
      })
    ).code;
    untouchedCode = (
      await buildProcedure(t.app, [centre.id], { code: '2.001610', name: 'Đăng ký doanh nghiệp' })
    ).code;
  });
  after(() => t.close());

  const send = (url: string, file: Buffer, cookie = admin, type = XLSX) =>
    t.server.inject({ method: 'POST', url, headers: { cookie, 'content-type': type }, payload: file });
  const count = async () =>
    (
      await t.app.db
        .selectFrom('procedure')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const valid = () =>
    workbook([
      [
        1,
        '1.004873.000.00.00.H50',
        'Cấp Giấy xác nhận tình trạng hôn nhân',
        'Cấp Xã',
        'Hộ tịch',
        '03 ngày làm việc',
        'Theo Nghị quyết của HĐND tỉnh',
        '- Tờ khai cấp Giấy xác nhận tình trạng hôn nhân\n- Bản sao Căn cước công dân',
        'UBND cấp xã',
      ],
      [
        2,
        '1.001193',
        'Đăng ký khai sinh',
        'Cấp Xã',
        'Hộ tịch',
        'Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo',
        'Miễn lệ phí',
        '1. Tờ khai đăng ký khai sinh\n2. Giấy chứng sinh',
        'UBND cấp xã',
      ],
      [
        3,
        '1.009994',
        'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
        'Cấp Xã',
        'Hoạt động xây dựng',
        'Không quá 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ',
        'Lệ phí: 75.000 đồng/giấy phép',
        'Đơn đề nghị cấp giấy phép xây dựng\nBản sao giấy tờ chứng minh quyền sử dụng đất',
        'Trung tâm Phục vụ hành chính công tỉnh Quảng Trị',
      ],
    ]);

  it('previews what the file adds and changes, and writes nothing', async () => {
    const before = await count();
    const res = await send('/api/procedures/import/preview', await valid());
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.valid, true);
    assert.equal(p.rowsRead, 3);
    assert.deepEqual(
      p.created.map((c: { code: string; limit: string; feeVnd: number }) => [c.code, c.limit, c.feeVnd]),
      [
        ['1.001193', 'trong ngày', 0],
        ['1.009994', '15 ngày', 75000],
      ],
    );
    assert.deepEqual(p.created[0].cutoff.time, '15:00');
    assert.match(p.created[0].cutoff.basis, /sau 15 giờ/);
    assert.deepEqual(p.created[1].receivingAgencies, ['Trung tâm Phục vụ hành chính công tỉnh Quảng Trị']);
    assert.equal(p.changed.length, 1);
    assert.equal(p.changed[0].code, existingCode);
    assert.deepEqual(
      p.changed[0].changes.find((c: { field: string }) => c.field === 'limit'),
      { field: 'limit', label: 'Thời hạn', before: '5 ngày làm việc', after: '3 ngày làm việc' },
    );
    assert.deepEqual(p.notInFile, [{ code: untouchedCode, name: 'Đăng ký doanh nghiệp' }]);
    assert.equal(await count(), before);
  });

  it('names every bad row in Vietnamese and imports nothing while any row is invalid', async () => {
    const file = await workbook([
      [1, '1.001193', 'Đăng ký khai sinh', 'Cấp Xã', 'Hộ tịch', 'Trong ngày', 'Không', '', 'UBND cấp xã'],
      [2, '1001193', 'Đăng ký kết hôn', 'Cấp Xã', 'Hộ tịch', 'Trong ngày', '', '', ''],
      [3, '1.000656', 'Đăng ký khai tử', 'Cấp Xã', 'Hộ tịch', 'Tùy trường hợp', '', '', ''],
      [4, '1.001193', 'Đăng ký khai sinh (trùng)', 'Cấp Xã', 'Hộ tịch', 'Trong ngày', '', '', ''],
      [5, '2.000635', '', 'Cấp Huyện', 'Hộ tịch', 'Trong ngày', '', '', ''],
    ]);
    const preview = (await send('/api/procedures/import/preview', file)).json();
    assert.equal(preview.valid, false);
    assert.deepEqual(
      preview.problems.map((p: { userMessage: string }) => p.userMessage),
      [
        'Dòng 6, cột “Mã thủ tục”: Mã thủ tục “1001193” không đúng dạng (ví dụ đúng: 1.001612).',
        'Dòng 7, cột “Thời hạn giải quyết”: Không đọc được thời hạn giải quyết “Tùy trường hợp” (ví dụ đúng: “03 ngày làm việc”, “Không quá 10 ngày”, “Trong ngày”).',
        'Dòng 8, cột “Mã thủ tục”: mã 1.001193 trùng với dòng 5.',
        'Dòng 9, cột “Tên thủ tục”: còn trống.',
        'Dòng 9, cột “Cấp thực hiện”: Cấp huyện không còn từ ngày 01/07/2025: vui lòng ghi Cấp tỉnh hoặc Cấp xã.',
      ],
    );
    const before = await count();
    const res = await send('/api/procedures/import', file);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'import_invalid');
    assert.equal(res.json().details.length, 5);
    assert.match(res.json().userMessage, /chưa có thủ tục nào được ghi/);
    assert.equal(await count(), before);
  });

  it('imports a valid file in one audited transaction; new procedures take intakes at once', async () => {
    const res = await send('/api/procedures/import', await valid());
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { created: 2, updated: 1, unchanged: 0 });
    const procedures = (
      await t.server.inject({ url: '/api/procedures?all=true', headers: { cookie: admin } })
    ).json();
    const p = (code: string) => procedures.find((x: { code: string }) => x.code === code);
    assert.equal(p(existingCode).processingDays, 3);
    assert.equal(p(existingCode).authority, 'UBND cấp xã');
    assert.equal(p('1.001193').cutoffTime, '15:00');
    assert.deepEqual(p('1.001193').documents, [
      { name: 'Tờ khai đăng ký khai sinh', form: 'Bản chính', quantity: 1 },
      { name: 'Giấy chứng sinh', form: 'Bản chính', quantity: 1 },
    ]);
    // A commune-level procedure is received by the centre and the ward desk.
    assert.deepEqual([...p('1.001193').agencyIds].sort(), [centre.id, ward.id].sort());
    assert.equal(p('1.009994').deadlineUnit, 'calendar_days');
    assert.equal(p('1.009994').cutoffTime, null);
    assert.equal(p(untouchedCode).active, true);
    const audit = await t.app.db
      .selectFrom('audit_event')
      .select('data')
      .where('action', '=', 'procedure.import')
      .executeTakeFirstOrThrow();
    assert.deepEqual((audit.data as unknown as { createdCodes: string[] }).createdCodes, [
      '1.001193',
      '1.009994',
    ]);
    // Importing the same file again changes nothing.
    assert.deepEqual((await send('/api/procedures/import', await valid())).json(), {
      created: 0,
      updated: 0,
      unchanged: 3,
    });
    const intake = await t.server.inject({
      method: 'POST',
      url: '/api/dossiers',
      headers: { cookie: desk },
      payload: intakeBody('1.009994'),
    });
    assert.equal(intake.statusCode, 201, intake.body);
    // Monday 09/03/2026 + 15 days = Tuesday 24/03.
    assert.equal(intake.json().appointmentDate, '2026-03-24');
  });

  it('refuses other roles, other files and files without the catalogue’s columns', async () => {
    assert.equal((await send('/api/procedures/import/preview', await valid(), desk)).statusCode, 403);
    const notExcel = await send('/api/procedures/import/preview', Buffer.from('STT;Mã thủ tục\n1;1.001193'));
    assert.equal(notExcel.statusCode, 400);
    assert.equal(notExcel.json().error, 'import_file_invalid');
    assert.match(notExcel.json().userMessage, /\.xlsx/);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('x').addRow(['Mã thủ tục', 'Tên thủ tục']);
    const noColumns = await send(
      '/api/procedures/import/preview',
      Buffer.from(await book.xlsx.writeBuffer()),
    );
    assert.equal(noColumns.statusCode, 400);
    assert.match(noColumns.json().userMessage, /Thời hạn giải quyết/);
  });
});
