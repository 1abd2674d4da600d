import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';

/** Reads an .xlsx body back: the rows of its first sheet as arrays of cell texts. */
async function sheetRows(body: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    rows.push(
      (row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))),
    );
  });
  return rows;
}

describe('GET /api/dossiers/export.xlsx (Xuất Excel)', () => {
  let t: TestApp;
  let cookie: string;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  const codes: string[] = [];

  before(async () => {
    t = await createTestApp({ now: '2026-03-09T09:00:00+07:00' });
    const agency = await buildAgency(t.app, { code: '000.17.22.H56' });
    key = await buildApiKey(t.app, agency.id);
    const procedure = await buildProcedure(t.app, [agency.id], { processingDays: 3 });
    const officer = await buildOfficer(t.app, agency.id);
    cookie = await loginCookie(t.server, officer.username, officer.password);
    for (const [i, name] of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường'].entries()) {
      t.clock.set(`2026-03-09T0${7 + i}:30:00+07:00`);
      const body = intakeBody(procedure.code, {
        applicant: { fullName: name, idNumber: `04409000123${i}`, phone: `091234567${i}` },
        notifyByZalo: i !== 1,
      });
      codes.push((await receiveViaApi(t.server, key.authorization, body)).code);
    }
    await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${codes[0]}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 4 },
    });
  });
  after(() => t.close());

  const exportList = (qs = '') =>
    t.server.inject({ url: `/api/dossiers/export.xlsx${qs}`, headers: { cookie } });

  it('downloads a workbook whose rows are the filtered list, newest first', async () => {
    const res = await exportList();
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(
      res.headers['content-type'],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.equal(
      res.headers['content-disposition'],
      'attachment; filename="danh-sach-ho-so-2026-03-09.xlsx"',
    );
    assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
    const rows = await sheetRows(res.rawPayload);
    assert.deepEqual(rows[0], [
      'STT',
      'Mã hồ sơ',
      'Thủ tục hành chính',
      'Người nộp',
      'Số CCCD',
      'Điện thoại',
      'Ngày tiếp nhận',
      'Ngày hẹn trả',
      'Trạng thái',
      'Quá hạn',
      'Nhận thông báo Zalo',
    ]);
    assert.deepEqual(
      rows.slice(1).map((r) => [r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[10] ?? '']),
      [
        [
          '1',
          codes[2],
          'Lê Văn Cường',
          '044090001232',
          '0912 345 672',
          '09/03/2026',
          '12/03/2026',
          'Được tiếp nhận',
          'Có',
        ],
        [
          '2',
          codes[1],
          'Trần Thị Bình',
          '044090001231',
          '0912 345 671',
          '09/03/2026',
          '12/03/2026',
          'Được tiếp nhận',
          '',
        ],
        [
          '3',
          codes[0],
          'Nguyễn Văn An',
          '044090001230',
          '0912 345 670',
          '09/03/2026',
          '12/03/2026',
          'Đang xử lý',
          'Có',
        ],
      ],
    );
    const filtered = await sheetRows((await exportList('?status=4')).rawPayload);
    assert.deepEqual(
      filtered.slice(1).map((r) => r[1]),
      [codes[0]],
    );
  });

  it('answers a failure midway with an error the officer can read, never a cut workbook', async () => {
    // 1 500 more dossiers, received before the others; the oldest one carries a status no version of the
    // product knows (as a row written by a newer node during an upgrade would): the export fails on it after
    // more than a thousand rows have gone into the workbook.
    await sql`
      insert into dossier (code, agency_id, procedure_id, status, channel, applicant_name, applicant_id_number,
        phone, received_at, due_date, clock_started_at)
      select '000.17.22.H56-260308-' || lpad(n::text, 4, '0'), agency_id, procedure_id, 2, channel,
        applicant_name, applicant_id_number, phone, received_at - make_interval(secs => n), due_date,
        clock_started_at
      from dossier, generate_series(1, 1500) n where code = ${codes[0]}
    `.execute(t.app.db);
    const whole = await exportList();
    assert.equal(whole.statusCode, 200, whole.body);
    assert.equal((await sheetRows(whole.rawPayload)).length, 1 + 3 + 1500);

    await sql`alter table dossier drop constraint dossier_status_check`.execute(t.app.db);
    await sql`update dossier set status = 11 where code = '000.17.22.H56-260308-1500'`.execute(t.app.db);
    const res = await exportList();
    assert.equal(res.statusCode, 500);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.equal(res.json().error, 'export_failed');
    assert.equal(
      res.json().userMessage,
      'Không xuất được danh sách hồ sơ ra Excel do lỗi hệ thống. Vui lòng thử lại sau ít phút.',
    );
  });
});
