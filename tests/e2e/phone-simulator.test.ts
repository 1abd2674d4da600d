import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  browserOrSkip,
  type E2eServer,
  launchBrowser,
  login,
  SCREENSHOTS,
  screenshot,
  startE2eServer,
} from './support.ts';

/** The built-in Zalo sandbox's phone simulator, mounted in the product, driven in Chromium. */
describe('phone simulator (Chromium)', () => {
  let server: E2eServer;
  let browser: Browser | undefined;

  before(async () => {
    server = await startE2eServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('follows the OA, writes to it, scans a receipt QR and switches Zalo off for a number', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    assert.equal(server.app.config.zalo.sandbox, true, 'no Zalo credentials: the sandbox is mounted');
    browser = await launchBrowser();
    const page = await (
      await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'vi-VN' })
    ).newPage();
    const anonymous = await page.request.get(`${server.baseUrl}/sandbox/api/phones/0912345678`);
    assert.equal(anonymous.status(), 401, 'the simulator is for signed-in officers');
    await login(page, server.baseUrl, 'tiepnhan');

    // A dossier to scan the receipt of.
    const intake = await page.request.post(`${server.baseUrl}/api/dossiers`, {
      data: {
        procedureCode: '1.004873',
        applicant: { fullName: 'Lê Thị Hoa', idNumber: '044190005555', phone: '0912 345 678' },
        notifyByZalo: true,
      },
    });
    assert.equal(intake.status(), 201);
    const code = (await intake.json()).code as string;
    const receipt = await page.request.get(`${server.baseUrl}/api/dossiers/${code}/receipt.pdf`);
    const receiptFile = path.join(SCREENSHOTS, 'receipt-for-scan.pdf');
    await writeFile(receiptFile, await receipt.body());

    await page.goto(`${server.baseUrl}/sandbox/phone`);
    await page.getByLabel('Số điện thoại').fill('0912 345 678');
    await page.getByRole('button', { name: 'Mở Zalo' }).click();
    await page.getByText('chưa quan tâm OA').waitFor();
    await page.getByText('Dịch vụ công tỉnh Quảng Trị').first().waitFor();
    await page.getByRole('button', { name: 'Quan tâm', exact: true }).click();
    await page.getByText('đang quan tâm OA').waitFor();

    await page.getByLabel('Tin nhắn').fill(code);
    await page.getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.locator('.bubble.me', { hasText: code }).waitFor();
    // The OA's look-up bot answers with the status, and its button follows the dossier.
    await page.locator('.bubble:not(.me)', { hasText: 'Tình trạng: Được tiếp nhận' }).waitFor();
    await page.locator('.bubble:not(.me) a.button', { hasText: 'Theo dõi hồ sơ này' }).last().click();
    await page.locator('.bubble:not(.me)', { hasText: 'không bị gửi trùng' }).waitFor();
    assert.equal(
      await page.locator('.bubble.me', { hasText: '#theodoi' }).count(),
      0,
      'a hidden query stays hidden',
    );
    await page.getByRole('button', { name: 'Gửi ảnh' }).click();
    await page.locator('.bubble.me[data-kind="image"]').waitFor();
    await screenshot(page, '20-phone-simulator');

    await page.getByText('Quét mã QR', { exact: true }).click();
    await page.getByLabel('Ảnh hoặc PDF có mã QR').setInputFiles(receiptFile);
    await page
      .getByText(`Mã QR: ${server.baseUrl.replace('127.0.0.1', 'localhost')}`)
      .or(page.getByText(`/tra-cuu/${code}?sig=`))
      .first()
      .waitFor();
    assert.match(
      await page.locator('#scan-result').innerText(),
      new RegExp(`/tra-cuu/${code.replaceAll('.', '\\.')}\\?sig=`),
    );

    await page.getByLabel('Số này chưa có Zalo').check();
    await page.getByText('chưa có Zalo', { exact: true }).waitFor();
    const state = await page.request.get(`${server.baseUrl}/sandbox/api/phones/0912345678`);
    assert.equal((await state.json()).onZalo, false);
  });

  it('keeps the sandbox administration for administrators', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    browser ??= await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    await login(page, server.baseUrl, 'tiepnhan');
    assert.equal((await page.request.get(`${server.baseUrl}/sandbox/api/state`)).status(), 403);
    await login(page, server.baseUrl, 'quantri');
    await page.goto(`${server.baseUrl}/sandbox/admin`);
    await page.locator('td', { hasText: 'zbs.message.template' }).first().waitFor();
    await screenshot(page, '21-sandbox-admin');
  });

  it('shows the fallback SMS of a number that is not on Zalo after its Zalo message', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    browser ??= await launchBrowser();
    const page = await (
      await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'vi-VN' })
    ).newPage();
    await login(page, server.baseUrl, 'quantri');
    // Quiet hours off, so the SMS goes out whatever the hour of the run.
    const policy = await (await page.request.get(`${server.baseUrl}/api/admin/fallback-policy`)).json();
    const saved = await page.request.put(`${server.baseUrl}/api/admin/fallback-policy`, {
      data: {
        ...policy.policy,
        sms: { ...policy.policy.sms, quietHours: { enabled: false, start: '21:00', end: '07:00' } },
      },
    });
    assert.equal(saved.status(), 200);
    // 0900 000 045: a reserved test number that is "not a Zalo user"; its SMS stays in the sandbox.
    const intake = await page.request.post(`${server.baseUrl}/api/dossiers`, {
      data: {
        procedureCode: '1.004873',
        applicant: { fullName: 'Phan Văn Tú', idNumber: '044090007777', phone: '0900 000 045' },
        notifyByZalo: true,
      },
    });
    assert.equal(intake.status(), 201);
    const code = (await intake.json()).code as string;
    await page.goto(`${server.baseUrl}/sandbox/phone?phone=0900000045`);
    await page.locator('.bubble.sms', { hasText: `Ho so ${code} da duoc tiep nhan` }).waitFor();
    assert.match(await page.locator('.bubble.sms .meta').first().innerText(), /1 tin GSM-7/);
    await screenshot(page, '22-phone-simulator-sms');
  });
});
