import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserOrSkip, e2eSuite } from './support.ts';

/**
 * A browser whose own time zone is not Vietnam's (UTC here, as on a kiosk or a CI machine) between 17:00 and
 * 24:00 UTC, when the Vietnamese date is already the next day: the officer app's "today" and "this year" are
 * Vietnam's, as the server's. Server and browser clocks are both set, so this runs the same at any hour.
 */
describe('the Vietnamese date in a browser set to UTC (Chromium)', () => {
  // 00:30 on 1 January 2027 in Vietnam = 17:30 on 31 December 2026 UTC.
  const NOW = '2027-01-01T00:30:00+07:00';
  const suite = e2eSuite({}, { now: NOW });
  const { server } = suite;
  const newPage = async (username: string) => {
    const page = await suite.newPage({ username, timezoneId: 'UTC' });
    await page.clock.install({ time: new Date(NOW) });
    return page;
  };

  it('accepts a birth date of today in Vietnam at intake', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage('tiepnhan');
    await page.goto(`${server.baseUrl}/tiep-nhan`);
    await page.getByRole('combobox', { name: 'Thủ tục hành chính' }).click();
    await page.keyboard.type('chung thuc ban sao');
    await page.locator('.ant-select-item-option', { hasText: 'Chứng thực bản sao từ bản chính' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByLabel('Họ và tên người nộp').fill('Lê Năm Mới');
    await page.getByLabel('Số CCCD/định danh').fill('044027000001');
    await page.getByLabel('Ngày sinh').fill('01/01/2027');
    await page.keyboard.press('Enter');
    await page.getByLabel('Điện thoại liên hệ').fill('0912 345 678');
    await page.getByRole('button', { name: 'Tiếp nhận và cấp mã hồ sơ' }).click();
    await page.getByTestId('dossier-code').waitFor();
    const saved = await server.app.db
      .selectFrom('dossier')
      .select('applicant_birth_date')
      .where('applicant_name', '=', 'Lê Năm Mới')
      .executeTakeFirstOrThrow();
    assert.equal(saved.applicant_birth_date, '2027-01-01');
    await page.context().close();
  });

  it('opens the working calendar on the Vietnamese year', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage('quantri');
    await page.goto(`${server.baseUrl}/lich`);
    await page.getByTestId('year-status').filter({ hasText: 'Lịch năm 2027' }).waitFor();
    await page.context().close();
  });
});
