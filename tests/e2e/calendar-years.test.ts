import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserOrSkip, e2eSuite, login, screenshot } from './support.ts';

/**
 * Confirmed and proposed years in a real browser: on Monday 21/12/2026 a building permit ("không quá 15
 * ngày") is due 5/1/2027, in a year whose holidays nobody confirmed; the intake screen says so before and
 * after saving. The administrator sees 2026 confirmed and 2027 proposed, confirms 2027 from its decision,
 * then amends a day, and the desk sees the dossier whose printed date the change would move.
 */
describe('calendar years, proposed and confirmed (Chromium)', () => {
  const { server, newPage } = e2eSuite({}, { now: '2026-12-21T09:00:00+07:00' });
  let code = '';

  const chooseBuildingPermit = async (page: Page, appointment = '05/01/2027') => {
    const procedure = page.getByRole('combobox', { name: 'Thủ tục hành chính' });
    await procedure.waitFor();
    await procedure.fill('giay phep xay dung');
    await page.locator('.ant-select-item-option', { hasText: 'Cấp giấy phép xây dựng' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('appointment-preview').filter({ hasText: appointment }).waitFor();
  };

  it('warns at intake that the appointment rests on the proposed 2027 schedule', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    await login(page, server.baseUrl, 'tiepnhan');
    await page.waitForURL(/\/tiep-nhan/);
    await chooseBuildingPermit(page);
    const notice = page.getByTestId('appointment-basis');
    await notice.waitFor();
    assert.match(await notice.innerText(), /lịch nghỉ lễ dự kiến năm 2027/);
    await page.getByLabel('Họ và tên người nộp').fill('Lê Thị Xây');
    await page.getByLabel('Số CCCD/định danh').fill('044190005678');
    await page.getByLabel('Điện thoại liên hệ').fill('+84 (0) 912 345 678');
    await screenshot(page, '16-intake-proposed-year');
    await page.getByRole('button', { name: 'Tiếp nhận và cấp mã hồ sơ' }).click();
    await page.getByTestId('dossier-code').waitFor();
    code = (await page.getByTestId('dossier-code').innerText()).trim();
    assert.match(await page.getByTestId('appointment-basis').innerText(), /dự kiến năm 2027/);
    const stored = await server.app.db
      .selectFrom('dossier')
      .select('phone')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    assert.equal(stored.phone, '84912345678');
    await page.context().close();
  });

  it('shows each year confirmed or proposed; the administrator confirms 2027 and amends a day', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    await login(page, server.baseUrl, 'quantri');
    await page.goto(`${server.baseUrl}/lich?nam=2026`);
    const status = page.getByTestId('year-status');
    await status.filter({ hasText: 'Đã xác nhận' }).waitFor();
    assert.match(await status.innerText(), /12729\/VPCP-KGVX/);

    await page.goto(`${server.baseUrl}/lich?nam=2027`);
    await status.filter({ hasText: 'Dự kiến' }).waitFor();
    await page.getByRole('button', { name: 'Xác nhận lịch năm 2027' }).click();
    const daysOff = page.getByTestId('confirm-days-off');
    await daysOff.filter({ hasText: '04/02/2027' }).waitFor();
    await page
      .getByLabel('Căn cứ (số, ngày quyết định hoặc thông báo lịch nghỉ)')
      .fill('Thông báo số 100/TB-BNV ngày 20/12/2026 của Bộ Nội vụ');
    await screenshot(page, '17-calendar-confirm-year');
    await page.getByRole('button', { name: 'Xác nhận', exact: true }).click();
    await status.filter({ hasText: 'Đã xác nhận' }).waitFor();
    assert.match(await status.innerText(), /100\/TB-BNV/);

    // An amendment: Tuesday 5/1/2027 off. The dossier's printed 5/1 stays; the desk is told to call.
    await page.locator('button[data-date="2027-01-05"]').click();
    await page.getByLabel('Lý do / căn cứ').fill('Nghỉ bù theo quyết định sửa đổi');
    await page.getByRole('button', { name: 'Lưu' }).click();
    const changed = page.getByTestId('changed-appointments');
    await changed.filter({ hasText: code }).waitFor();
    assert.match(await changed.innerText(), /05\/01\/2027[\s\S]*06\/01\/2027/);
    await screenshot(page, '18-calendar-changed-appointments');
    await page.context().close();
  });

  it('no longer warns once the year is confirmed', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    await login(page, server.baseUrl, 'tiepnhan');
    await page.waitForURL(/\/tiep-nhan/);
    // 15 days from 21/12/2026 is 5/1/2027, now a day off: the next working day.
    await chooseBuildingPermit(page, '06/01/2027');
    assert.equal(await page.getByTestId('appointment-basis').count(), 0);
    const stored = await server.app.db
      .selectFrom('dossier')
      .select('due_date')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    assert.equal(stored.due_date, '2027-01-05');
    await page.context().close();
  });
});
