import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEALTH_CHECKS } from '../../src/app-background.ts';
import { stopMailCatcher } from '../../src/email/send-email.ts';
import { runHealthChecks } from '../../src/operations/health-checks-runner.ts';
import { browserOrSkip, e2eSuite, login, screenshot } from './support.ts';

/**
 * Page "Tình trạng hệ thống" in a real browser against the real server and worker: a template Zalo refuses
 * raises an alert that administrators see on the page (with the OA connection, the queues and the e-mail sent
 * to them) and desk officers see as one line; marked handled, it moves to the history.
 */
describe('system status page (Chromium)', () => {
  const { server, browser, newPage } = e2eSuite(
    { ALERT_EMAILS: 'truc.he.thong@quangtri.gov.vn' },
    { beforeClose: (started) => stopMailCatcher(started.app) },
  );

  it('shows the OA connection, the queues, an alert and its history; officers see one line', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage({ username: 'quantri' });

    // Zalo stops accepting the status template (its approval withdrawn), and a dossier is received.
    const refused = await page.request.put(`${server.baseUrl}/sandbox/api/refusals`, {
      data: { templates: { '419001': -131 } },
    });
    assert.equal(refused.status(), 200);
    const intake = await page.request.post(`${server.baseUrl}/api/dossiers`, {
      data: {
        procedureCode: '1.004873',
        applicant: { fullName: 'Trần Văn Bình', idNumber: '044190007777', phone: '0912 111 222' },
        notifyByZalo: true,
      },
    });
    assert.equal(intake.status(), 201, await intake.text());
    const deadline = Date.now() + 20_000;
    while (
      !(await server.app.db
        .selectFrom('app_alert')
        .select('key')
        .where('key', '=', 'zalo.template:419001')
        .where('resolved_at', 'is', null)
        .executeTakeFirst())
    ) {
      assert.ok(Date.now() < deadline, 'the worker raised the alert');
      await new Promise((r) => setTimeout(r, 100));
    }
    await runHealthChecks(server.app, HEALTH_CHECKS);

    await page.goto(`${server.baseUrl}/tinh-trang`);
    await page.getByRole('heading', { name: 'Tình trạng hệ thống' }).waitFor();
    await page.getByTestId('status-summary').getByText('Có 1 cảnh báo cần xử lý.').waitFor();
    const active = page.getByTestId('active-alerts');
    await active.getByText('Zalo từ chối mẫu tin', { exact: true }).waitFor();
    await active.getByText(/Mẫu tin Zalo chưa được duyệt \(mã -131\)/).waitFor();
    await active.getByText(/^Đã gửi /).waitFor();
    await page.getByTestId('status-connection').getByText('Đã kết nối').waitFor();
    await page.getByTestId('status-connection').getByText('Mã làm mới hết hạn').waitFor();
    await page.getByTestId('status-queues').getByText('Gửi Zalo', { exact: true }).waitFor();
    await page.getByTestId('status-queues').getByText('Zalo tạm hoãn').waitFor();
    await page
      .getByTestId('failures-by-cause')
      .getByText('Mẫu tin Zalo chưa được duyệt (đang chờ)')
      .waitFor();
    await page
      .getByTestId('status-workers')
      .getByText(/pid \d+/)
      .first()
      .waitFor();
    await page
      .getByTestId('alert-recipients')
      .getByText(/truc\.he\.thong@quangtri\.gov\.vn/)
      .waitFor();
    // The banner on every screen, linking to where it is fixed.
    await page
      .getByTestId('admin-alert')
      .getByText(/Zalo từ chối mẫu tin 419001/)
      .waitFor();
    await screenshot(page, '30-system-status');
    const mail = await server.app.db
      .selectFrom('sandbox_mail')
      .select('subject')
      .where('subject', 'like', '%Zalo từ chối mẫu tin%')
      .execute();
    assert.equal(mail.length, 1, 'the administrators were e-mailed once');

    // A desk officer is told in one line that citizens' messages are held up.
    const officer = await (await (await browser()).newContext({ locale: 'vi-VN' })).newPage();
    await login(officer, server.baseUrl, 'tiepnhan');
    await officer
      .getByTestId('admin-alert')
      .getByText(/Tin nhắn Zalo tới người dân đang bị chậm/)
      .waitFor();
    assert.equal(await officer.getByRole('link', { name: 'Tình trạng hệ thống' }).count(), 0);
    await officer.context().close();

    // Zalo approves it again; the administrator marks the alert handled: it moves to the history.
    await page.request.put(`${server.baseUrl}/sandbox/api/refusals`, {
      data: { templates: { '419001': null } },
    });
    await active.getByRole('button', { name: 'Đã xử lý' }).click();
    await page.getByText('Hệ thống đang hoạt động bình thường.', { exact: true }).waitFor();
    await page
      .getByTestId('alert-history')
      .getByText(/Zalo từ chối mẫu tin: /)
      .waitFor();

    // Who receives the alert e-mails.
    const recipients = page.getByLabel('Email nhận cảnh báo');
    await recipients.click();
    await page.keyboard.type('lanh.dao@quangtri.gov.vn');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await page.getByText('Đã lưu danh sách email nhận cảnh báo.').waitFor();
    await page
      .getByTestId('alert-recipients')
      .getByText(/lanh\.dao@quangtri\.gov\.vn/)
      .waitFor();
    await screenshot(page, '31-system-status-history');
    await page.context().close();
  });
});
