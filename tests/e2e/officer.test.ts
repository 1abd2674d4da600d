import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { readPdf } from '../../src/test-support/pdf.ts';
import { browserOrSkip, e2eSuite, login, screenshot } from './support.ts';

/**
 * The desk officer's day in a real browser against the real server: login, intake with an old 11-digit
 * phone, receipt, the whole lifecycle with a leader's approval, timeline, dashboard, agency isolation, and a
 * keyboard-only intake.
 */
describe('officer web app (Chromium)', () => {
  const { server, newPage } = e2eSuite();
  let code = '';

  /** The page's requests not answered yet, with their age, for a failure message. */
  const requestsInFlight = (page: Page): (() => string) => {
    const started = new Map<string, number>();
    page.on('request', (r) => started.set(`${r.method()} ${r.url()}`, Date.now()));
    const done = (r: { method(): string; url(): string }) => started.delete(`${r.method()} ${r.url()}`);
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    return () =>
      [...started].map(([request, at]) => `${request} (${Date.now() - at} ms)`).join(', ') || 'none';
  };

  it('logs in, refusing a wrong password with a Vietnamese message', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    await page.goto(`${server.baseUrl}/ho-so`);
    await page.waitForURL(/\/dang-nhap/);
    await page.getByLabel('Tên đăng nhập').fill('tiepnhan');
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor();
    await screenshot(page, '01-login-error');
    await page.getByLabel('Mật khẩu').fill('MotCua@2026');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/ho-so$/);
    await page.context().close();
  });

  it('receives a dossier with an old 11-digit phone and prints its receipt', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') {
        scripts.push(r.url());
      }
    });
    const started = Date.now();
    await login(page, server.baseUrl, 'tiepnhan');
    await page.waitForURL(/\/tiep-nhan/);
    const procedure = page.getByRole('combobox', { name: 'Thủ tục hành chính' });
    await procedure.waitFor();
    t.diagnostic(`intake screen ready ${Date.now() - started} ms after opening the login page`);
    await procedure.fill('xac nhan tinh trang hon nhan');
    await page
      .locator('.ant-select-item-option', { hasText: 'Cấp Giấy xác nhận tình trạng hôn nhân' })
      .waitFor();
    await page.keyboard.press('Enter');
    await page
      .getByTestId('appointment-preview')
      .filter({ hasText: /\d{2}\/\d{2}\/\d{4}/ })
      .waitFor();
    await page.getByLabel('Họ và tên người nộp').fill('Nguyễn Thị Ánh Tuyết');
    await page.getByLabel('Số CCCD/định danh').fill('044190001234');
    await page.getByLabel('Điện thoại liên hệ').fill('0168 123 4567');
    const hint = page.getByTestId('phone-normalised');
    await hint.waitFor();
    assert.match(
      await hint.innerText(),
      /0381 234 567 · di động · số 11 số cũ 01681234567 đã đổi sang số 10 số/,
    );
    await page.getByLabel('Đăng ký nhận thông báo trạng thái hồ sơ qua Zalo').check();
    await screenshot(page, '02-intake');
    await page.getByRole('button', { name: 'Tiếp nhận và cấp mã hồ sơ' }).click();
    const codeEl = page.getByTestId('dossier-code');
    await codeEl.waitFor();
    code = (await codeEl.innerText()).trim();
    assert.match(code, /^000\.00\.01\.H50-\d{6}-0001$/);
    await page.getByText('Thông báo trạng thái sẽ được gửi qua Zalo tới số 0381 234 567.').waitFor();
    await screenshot(page, '03-intake-done');

    const receipt = await page.request.get(`${server.baseUrl}/api/dossiers/${code}/receipt.pdf`);
    assert.equal(receipt.status(), 200);
    assert.equal(receipt.headers()['content-type'], 'application/pdf');
    const pdf = await readPdf(await receipt.body());
    assert.ok(pdf.text.includes(code));
    assert.ok(pdf.text.replace(/\s+/g, ' ').includes('0381 234 567'));
    assert.equal(pdf.qrCodes.length, 1);

    const stored = await server.app.db
      .selectFrom('dossier')
      .select('phone')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    assert.equal(stored.phone, '84381234567');
    t.diagnostic(`scripts loaded for login + intake: ${scripts.length}`);
    await page.context().close();
  });

  it('moves the dossier through processing, supplement, approval and return, with the timeline', async (t) => {
    if (!browserOrSkip(t) || !code) {
      return;
    }
    const desk = await newPage();
    await login(desk, server.baseUrl, 'tiepnhan');
    const openDossier = async (page: Page) => {
      await page.goto(`${server.baseUrl}/ho-so/${code}`);
      await page.getByTestId('detail-code').waitFor();
    };
    const act = async (page: Page, button: string, fill?: () => Promise<void>) => {
      await page.getByRole('button', { name: button }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await fill?.();
      const pending = requestsInFlight(page);
      await dialog.getByRole('button', { name: 'Xác nhận' }).click();
      await page
        .getByText(`${button}: đã ghi nhận.`)
        .waitFor()
        .catch(async (err: Error) => {
          // Say why: an error shown in the dialog, or a request that never answered.
          await screenshot(page, `failed-${button}`);
          const shown = await dialog.innerText({ timeout: 1000 }).catch(() => '(no dialog)');
          throw new Error(`${button}: ${err.message}\ndialog: ${shown}\nin flight: ${pending()}`);
        });
      await dialog.waitFor({ state: 'hidden' });
    };
    await openDossier(desk);
    await act(desk, 'Chuyển xử lý');
    await desk.getByText('Đang xử lý', { exact: true }).first().waitFor();
    await act(desk, 'Yêu cầu bổ sung giấy tờ', async () => {
      const documents = desk.getByRole('dialog').getByRole('combobox').first();
      await documents.fill('Bản sao Giấy khai sinh');
      await desk.keyboard.press('Enter');
      await desk.keyboard.press('Escape');
      await desk.getByRole('dialog').getByLabel('Lý do').fill('Hồ sơ chưa đủ thành phần theo quy định');
    });
    await desk.getByText('Bản sao Giấy khai sinh').first().waitFor();
    await screenshot(desk, '04-detail-supplement');
    await act(desk, 'Nhận hồ sơ bổ sung');

    const leader = await newPage();
    await login(leader, server.baseUrl, 'lanhdao');
    await openDossier(leader);
    await act(leader, 'Phê duyệt kết quả');
    await leader.context().close();

    await openDossier(desk);
    await act(desk, 'Trả kết quả', async () => {
      await desk.getByRole('dialog').getByLabel('Người nhận kết quả').fill('Nguyễn Thị Ánh Tuyết');
    });
    await desk.getByText('Đã trả kết quả', { exact: true }).first().waitFor();
    const timeline = desk.getByTestId('timeline');
    for (const label of ['Được tiếp nhận', 'Yêu cầu bổ sung giấy tờ', 'Đã xử lý xong', 'Đã trả kết quả']) {
      await timeline.getByText(label, { exact: true }).first().waitFor();
    }
    assert.equal(await timeline.locator('.ant-timeline-item').count(), 6);
    await timeline.getByText('Phạm Minh Duyệt', { exact: false }).first().waitFor();
    // Every status change reached the citizen's Zalo (the built-in sandbox) and was delivered.
    await timeline.getByTestId('notifications').getByText('Zalo (số điện thoại): Đã nhận').nth(4).waitFor();
    await screenshot(desk, '05-detail-returned');
    // Every row of the dossier's data has its label (an empty note once showed as a blank row).
    const labels = await desk.locator('.ant-descriptions-item-label').allInnerTexts();
    assert.ok(labels.length >= 10);
    assert.deepEqual(
      labels.filter((l) => l.trim() === ''),
      [],
    );

    await desk.goto(`${server.baseUrl}/tong-quan`);
    await desk.getByTestId('by-status').waitFor();
    assert.equal(
      (await desk.getByTestId('stat-today').locator('.ant-statistic-content-value').innerText()).trim(),
      '1',
    );
    await desk.getByText('Đã trả kết quả: 1').waitFor();
    await screenshot(desk, '06-dashboard');

    await desk.goto(`${server.baseUrl}/ho-so`);
    await desk.getByRole('link', { name: code }).waitFor();
    await screenshot(desk, '07-list');
    await desk.context().close();
  });

  it('never shows the dossier to an officer of another agency, even by direct URL', async (t) => {
    if (!browserOrSkip(t) || !code) {
      return;
    }
    const page = await newPage();
    await login(page, server.baseUrl, 'donghoi.tiepnhan');
    await page.goto(`${server.baseUrl}/ho-so/${code}`);
    await page.getByText('Không tìm thấy hồ sơ').waitFor();
    await page.goto(`${server.baseUrl}/ho-so?q=${encodeURIComponent(code)}`);
    await page.getByText('Không có hồ sơ nào phù hợp').waitFor();
    const direct = await page.request.get(`${server.baseUrl}/api/dossiers/${code}/receipt.pdf`);
    assert.equal(direct.status(), 404);
    await page.context().close();
  });

  it('takes a whole intake from the keyboard alone', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    await login(page, server.baseUrl, 'tiepnhan');
    const started = Date.now();
    await page.getByRole('combobox', { name: 'Thủ tục hành chính' }).waitFor();
    // The screen puts the focus in the procedure list once the catalogue has loaded.
    await page.waitForFunction('document.activeElement?.id === "procedureCode"');
    const k = page.keyboard;
    await k.type('chung thuc ban sao');
    // Wait for what the officer waits for: the matching procedure in the list.
    await page.locator('.ant-select-item-option', { hasText: 'Chứng thực bản sao từ bản chính' }).waitFor();
    await k.press('Enter'); // picks the procedure and moves on to the name
    await k.type('Trần Văn Bình');
    await k.press('Tab');
    await k.type('044095001111');
    await k.press('Tab'); // date of birth: left empty
    await k.press('Tab');
    await k.type('Phường Đồng Hới');
    await k.press('Tab');
    await k.type('0905 123 456');
    await screenshot(page, '12-keyboard-intake');
    const pending = requestsInFlight(page);
    await k.press('Enter');
    const codeEl = page.getByTestId('dossier-code');
    await codeEl.waitFor().catch(async (err: Error) => {
      // Say why: the form's messages, or a request that never answered.
      await screenshot(page, 'failed-keyboard-intake');
      const shown = await page
        .locator('.ant-form-item-explain-error, [role="alert"]')
        .allInnerTexts()
        .catch(() => []);
      throw new Error(
        `keyboard intake: ${err.message}\nshown: ${shown.join(' | ')}\nin flight: ${pending()}`,
      );
    });
    assert.match(await codeEl.innerText(), /-0002$/);
    t.diagnostic(`keyboard intake took ${Date.now() - started} ms`);
    await k.press('Enter');
    await page.getByRole('combobox', { name: 'Thủ tục hành chính' }).waitFor();
    assert.equal(await page.evaluate('document.activeElement?.getAttribute("role")'), 'combobox');
    await page.context().close();
  });

  it('shows the calendar, procedures, administration, Zalo connection, notifications and help screens', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage();
    await login(page, server.baseUrl, 'quantri');
    await page.goto(`${server.baseUrl}/lich`);
    await page.getByText('Tháng 12').waitFor();
    await screenshot(page, '08-calendar');
    await page.goto(`${server.baseUrl}/thu-tuc`);
    await page.getByText('Đăng ký khai sinh').waitFor();
    await screenshot(page, '09-procedures');
    await page.goto(`${server.baseUrl}/quan-tri`);
    await page.getByText('donghoi.tiepnhan').waitFor();
    await screenshot(page, '10-admin');
    // Who did what: this administrator's sign-in is in the journal; searching a name keeps only theirs.
    await page.getByRole('tab', { name: 'Nhật ký hệ thống' }).click();
    const auditLog = page.getByTestId('audit-log');
    await auditLog
      .getByRole('row')
      .filter({ hasText: 'Nguyễn Văn Quản' })
      .filter({ hasText: 'Đăng nhập' })
      .first()
      .waitFor();
    // The actor by their account and role, the target by its name; one event is at most two lines.
    const signIn = auditLog.getByRole('row').filter({ hasText: 'Nguyễn Văn Quản' }).first();
    await signIn.getByText('quantri · Quản trị hệ thống').waitFor();
    await auditLog.getByRole('cell', { name: 'Tài khoản quantri', exact: true }).first().waitFor();
    const actorCell = await auditLog.getByRole('columnheader', { name: 'Người thực hiện' }).boundingBox();
    assert.ok(actorCell && actorCell.width >= 200, `actor column ${actorCell?.width} px wide`);
    const heights = await auditLog
      .locator('tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    assert.ok(heights.length > 0 && Math.max(...heights) <= 64, `rows up to ${Math.max(...heights)} px tall`);
    // The search answers, then the table shows that answer (not the previous one, which has the name too).
    const filtered = page.waitForResponse(
      (r) => r.url().includes('/api/audit-events') && new URL(r.url()).searchParams.get('q') === 'quan',
    );
    await page.getByLabel('Người thực hiện hoặc mã đối tượng').fill('quan');
    await page.getByLabel('Người thực hiện hoặc mã đối tượng').press('Enter');
    await filtered;
    await auditLog
      .getByRole('row')
      .filter({ hasText: 'Trần Thị Tiếp' })
      .first()
      .waitFor({ state: 'detached' });
    await auditLog.getByRole('row').filter({ hasText: 'Đăng nhập' }).first().waitFor();
    await screenshot(page, '15-audit');
    await page.goto(`${server.baseUrl}/zalo`);
    await page.getByTestId('zalo-status').filter({ hasText: 'Đã kết nối' }).waitFor();
    await page.getByText('Đang dùng Zalo sandbox tích hợp').waitFor();
    await screenshot(page, '13-zalo-connection');
    // A status change whose messages the planners gave up on: shown first, planned again on request.
    const journal = await server.app.db
      .selectFrom('dossier_journal')
      .select(['id', 'dossier_id', 'to_status', 'action'])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await server.app.db
      .insertInto('status_change')
      .values({
        journal_id: journal.id,
        dossier_id: journal.dossier_id,
        from_status: null,
        to_status: journal.to_status,
        action: journal.action,
        attempts: 25,
        last_error: 'Mất kết nối cơ sở dữ liệu',
        failed_at: new Date(),
      })
      .onConflict((oc) => oc.column('journal_id').doUpdateSet({ attempts: 25, failed_at: new Date() }))
      .execute();
    await page.goto(`${server.baseUrl}/thong-bao`);
    await page.getByText('Tin nhắn chờ quá 10 phút').waitFor();
    // Days as Vietnamese screens write them, never ISO.
    await page
      .getByRole('cell', { name: /^\d{2}\/\d{2}\/\d{4}$/ })
      .first()
      .waitFor();
    const givenUp = page.getByTestId('status-changes-given-up');
    await givenUp.getByText('Mất kết nối cơ sở dữ liệu').waitFor();
    await screenshot(page, '14-notifications');
    await givenUp.getByRole('button', { name: 'Lập lại', exact: true }).click();
    await page.getByText('Đã đưa 1 lần chuyển trạng thái vào lập thông báo lại.').waitFor();
    await givenUp.waitFor({ state: 'detached' });
    await page.goto(`${server.baseUrl}/huong-dan`);
    await page.getByText('TRA CỨU HỒ SƠ THỦ TỤC HÀNH CHÍNH QUA ZALO').waitFor();
    // Examples in the shape of the receipts this desk prints today, and the province's own OA.
    // The page's own Vietnamese today: the test's clock may differ from the browser's (a run at a faked hour).
    const today = await page.evaluate(() =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()),
    );
    await page
      .getByText(`000.00.01.H50-${today.slice(2, 4)}${today.slice(5, 7)}${today.slice(8, 10)}-0001`)
      .first()
      .waitFor();
    await page.getByText('tìm trang “Dịch vụ công tỉnh Quảng Trị”', { exact: false }).first().waitFor();
    await screenshot(page, '11-help');
    await page.context().close();
  });
});
