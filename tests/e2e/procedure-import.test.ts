import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { browserOrSkip, e2eSuite, screenshot } from './support.ts';

async function catalogue(rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('TTHC');
  sheet.addRow([
    'Mã thủ tục',
    'Tên thủ tục',
    'Lĩnh vực',
    'Thời hạn giải quyết',
    'Phí, lệ phí',
    'Cơ quan thực hiện',
  ]);
  for (const r of rows) {
    sheet.addRow(r);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The administrator imports the province's list from the national catalogue's Excel export in a real
 * browser: a file with a bad row is refused row by row, a corrected one previews its changes and imports.
 */
describe('procedure import screen (Chromium)', () => {
  const { server, newPage } = e2eSuite();

  it('previews, refuses a bad row, then imports the corrected file', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage({ username: 'quantri' });
    await page.goto(`${server.baseUrl}/thu-tuc`);
    await page.getByText('Đăng ký khai sinh').waitFor();
    await page.getByRole('button', { name: 'Nhập từ Excel' }).click();
    const input = page.getByLabel('Tệp Excel danh mục thủ tục');
    const rows = [
      [
        '1.004873',
        'Cấp Giấy xác nhận tình trạng hôn nhân',
        'Hộ tịch',
        '05 ngày làm việc',
        'Không',
        'UBND cấp xã',
      ],
      ['1.000001', 'Cấp giấy chứng nhận thử nghiệm', 'Thử nghiệm', 'Tùy trường hợp', '', 'UBND tỉnh'],
    ];
    await input.setInputFiles({
      name: 'danh-muc-loi.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await catalogue(rows),
    });
    const preview = page.getByTestId('import-preview');
    await preview.getByText('Tệp có 1 lỗi').waitFor();
    await page.getByTestId('import-problems').getByText('Dòng 3, cột “Thời hạn giải quyết”').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Nhập/ }).isDisabled(), true);
    await screenshot(page, '19-procedure-import-errors');

    rows[1]![3] = 'Không quá 10 ngày';
    await input.setInputFiles({
      name: 'danh-muc.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await catalogue(rows),
    });
    await preview.getByText('Tệp hợp lệ: đọc được 2 thủ tục.').waitFor();
    await page.getByRole('tab', { name: 'Thay đổi (1)' }).click();
    await preview.getByText('3 ngày làm việc').waitFor();
    await screenshot(page, '20-procedure-import-preview');
    await page.getByRole('button', { name: 'Nhập 2 thủ tục' }).click();
    await page.getByText('Đã nhập: 1 thủ tục mới, 1 thủ tục cập nhật.').waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Cấp giấy chứng nhận thử nghiệm' })
      .getByText('10 ngày')
      .waitFor();
    const stored = await server.app.db
      .selectFrom('procedure')
      .select(['processing_days', 'deadline_unit'])
      .where('code', '=', '1.000001')
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { processing_days: 10, deadline_unit: 'calendar_days' });
    await page.context().close();
  });
});
