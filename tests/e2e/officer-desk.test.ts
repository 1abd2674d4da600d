import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { DEMO_API_KEY } from '../../src/demo/demo-catalogue.ts';
import { browserOrSkip, e2eSuite, screenshot } from './support.ts';

/**
 * The desk officer's details in a real browser: typing at full speed through the intake, the Excel export
 * opened back, finding a dossier by the end of its code or by a code typed in lower case.
 */
describe('officer desk details (Chromium)', () => {
  const suite = e2eSuite();
  const { server } = suite;
  const newPage = () => suite.newPage({ username: 'tiepnhan', acceptDownloads: true });
  const receive = async (fullName: string) => {
    const res = await fetch(`${server.baseUrl}/api/v1/dossiers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        procedureCode: '1.004873',
        applicant: { fullName, idNumber: '044090001234', phone: '0912 345 678' },
      }),
    });
    const body = await res.text();
    assert.equal(res.status, 201, body);
    return (JSON.parse(body) as { code: string }).code;
  };

  it('keeps every key typed at full speed after the procedure is picked, and tabs past the date', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    // A desk PC busy with other work: the browser runs four times slower, as the officer types on.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const k = page.keyboard;
    const names = ['Nguyễn Thị Hoa', 'Nông Văn Dền', 'Ngô Bảo Châu'];
    for (const name of names) {
      await page.getByRole('combobox', { name: 'Thủ tục hành chính' }).waitFor();
      await page.waitForFunction('document.activeElement?.id === "procedureCode"');
      await k.type('chung thuc ban sao');
      await page.locator('.ant-select-item-option', { hasText: 'Chứng thực bản sao từ bản chính' }).waitFor();
      await k.press('Enter');
      await k.type(name); // no pause: the officer does not wait for the focus to move
      await k.press('Tab');
      await k.type('044095001111');
      await k.press('Tab');
      await k.type('01/02/1990');
      await k.press('Tab'); // from the typed date straight to the address, not the picker's clear button
      assert.equal(await page.evaluate('document.activeElement?.id'), 'address');
      await k.type('Phường Đồng Hới');
      await k.press('Tab');
      await k.type('0905 123 456');
      await k.press('Enter');
      await page.getByTestId('dossier-code').waitFor();
      await k.press('Enter');
    }
    const saved = await server.app.db
      .selectFrom('dossier')
      .select(['applicant_name', 'applicant_birth_date', 'applicant_address'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      saved.map((d) => [d.applicant_name, d.applicant_birth_date, d.applicant_address]),
      names.map((n) => [n, '1990-02-01', 'Phường Đồng Hới']),
    );
    await page.context().close();
  });

  it('finds a dossier by the end of its code and opens one typed in lower case', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const code = await receive('Trần Văn Tìm');
    const page = await newPage();
    const end = code.slice(-11); // "261207-0004"
    await page.goto(`${server.baseUrl}/ho-so`);
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    // The list shows every dossier first: wait for the search's own answer, then for the table to show it.
    const onlyRows = (codes: string[]) =>
      page.waitForFunction(
        `JSON.stringify([...document.querySelectorAll('tbody tr.ant-table-row td:first-child')]
          .map((td) => td.textContent.trim())) === ${JSON.stringify(JSON.stringify(codes))}`,
      );
    for (const q of [end, `H50-${end}`, `h50 - ${end.replace('-', ' - ')}`]) {
      const answered = page.waitForResponse(
        (r) => r.url().includes('/api/dossiers?') && new URL(r.url()).searchParams.get('q') === q,
      );
      await page.getByLabel('Tìm kiếm hồ sơ').fill(q);
      await page.getByLabel('Tìm kiếm hồ sơ').press('Enter');
      await answered;
      await onlyRows([code]);
    }

    await page.goto(
      `${server.baseUrl}/ho-so/${encodeURIComponent(code.toLowerCase().replaceAll('-', ' - '))}`,
    );
    await page.getByTestId('detail-code').filter({ hasText: code }).waitFor();
    await page.waitForURL(`${server.baseUrl}/ho-so/${code}`);
    await page.context().close();
  });

  it('downloads the Excel export and says so when it fails midway', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    await receive('Lê Thị Xuất');
    const page = await newPage();
    await page.goto(`${server.baseUrl}/ho-so`);
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Xuất Excel' }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^danh-sach-ho-so-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const names = (sheet.getColumn(4).values as unknown[]).slice(1).map(String);
    const all = await server.app.db
      .selectFrom('dossier')
      .select('applicant_name')
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    assert.deepEqual(names, ['Người nộp', ...all.map((d) => d.applicant_name)]);
    await page.getByText(/^Đã tải xuống danh-sach-ho-so-/).waitFor();

    // A row the export cannot write (a status this version does not know): the officer is told.
    await sql`alter table dossier drop constraint dossier_status_check`.execute(server.app.db);
    await sql`update dossier set status = 11 where applicant_name = 'Lê Thị Xuất'`.execute(server.app.db);
    try {
      await page.getByRole('button', { name: 'Xuất Excel' }).click();
      await page
        .getByText(
          'Xuất Excel không thành công. Không xuất được danh sách hồ sơ ra Excel do lỗi hệ thống. Vui lòng thử lại sau ít phút.',
        )
        .waitFor();
      await screenshot(page, '20-export-failed');
    } finally {
      await sql`update dossier set status = 2 where status = 11`.execute(server.app.db);
    }
    await page.context().close();
  });
});
