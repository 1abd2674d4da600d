import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { browserOrSkip, e2eSuite, login, SCREENSHOTS, screenshot } from './support.ts';

/** The built-in Zalo sandbox's phone simulator, mounted in the product, driven in Chromium. */
describe('phone simulator (Chromium)', () => {
  const { server, browser: launched } = e2eSuite();

  it('follows the OA, writes to it, scans a receipt QR and switches Zalo off for a number', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    assert.equal(server.app.config.zalo.sandbox, true, 'no Zalo credentials: the sandbox is mounted');
    const browser = await launched();
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
    const browser = await launched();
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
    const browser = await launched();
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
    assert.match(await page.locator('.bubble.sms .meta').first().innerText(), /1 tin không dấu/);
    await screenshot(page, '22-phone-simulator-sms');
  });

  it('fits a 360 px phone, forgets the previous number, and shows an SMS held by the quiet hours', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const browser = await launched();
    const officer = await (
      await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' })
    ).newPage();
    await login(officer, server.baseUrl, 'quantri');
    // Quiet hours from an hour ago to an hour from now, whatever the hour of the run.
    const hhmm = (offsetMinutes: number) =>
      new Date(Date.now() + offsetMinutes * 60_000 + 7 * 3_600_000).toISOString().slice(11, 16);
    const end = hhmm(60);
    const policy = await (await officer.request.get(`${server.baseUrl}/api/admin/fallback-policy`)).json();
    const quiet = await officer.request.put(`${server.baseUrl}/api/admin/fallback-policy`, {
      data: {
        ...policy.policy,
        sms: { ...policy.policy.sms, quietHours: { enabled: true, start: hhmm(-60), end } },
      },
    });
    assert.equal(quiet.status(), 200, await quiet.text());
    const noZalo = await officer.request.put(`${server.baseUrl}/sandbox/api/phones/0900000046`, {
      data: { onZalo: false },
    });
    assert.equal(noZalo.status(), 200, await noZalo.text());
    const intake = await officer.request.post(`${server.baseUrl}/api/dossiers`, {
      data: {
        procedureCode: '1.004873',
        applicant: { fullName: 'Võ Thị Đêm', idNumber: '044190008888', phone: '0900 000 046' },
        notifyByZalo: true,
      },
    });
    assert.equal(intake.status(), 201);
    const { code, lookupUrl } = (await intake.json()) as { code: string; lookupUrl: string };

    const page = await (
      await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'vi-VN' })
    ).newPage();
    await login(page, server.baseUrl, 'quantri');
    await page.goto(`${server.baseUrl}/sandbox/phone?phone=0900000046`);
    await page.locator('.bubble.sms.held', { hasText: `SMS chưa gửi: sẽ gửi lúc ${end}` }).waitFor();
    // The officer's timeline says it too.
    await officer.goto(`${server.baseUrl}/ho-so/${code}`);
    await officer.getByTestId('timeline').getByText(`sẽ gửi lúc ${end}`, { exact: false }).waitFor();
    await screenshot(officer, '23-detail-sms-held');

    // Words of the simulator, and a phone's width with everything open.
    await page.getByText('Quét mã QR', { exact: true }).click();
    await page.getByLabel('Đường dẫn trong mã QR').fill(lookupUrl);
    await page.getByRole('button', { name: 'Mở', exact: true }).click();
    await page.locator('#browser:not([hidden])').waitFor();
    const text = await page.locator('body').innerText();
    for (const english of ['Official Account', 'user_send_image', 'Choose File']) {
      assert.ok(!text.includes(english), `the simulator shows "${english}"`);
    }
    // The browser's own "Choose File" button stays out of sight (a Vietnamese label opens the file picker).
    const fileInput = await page.locator('input[type=file]').boundingBox();
    assert.ok(fileInput && fileInput.width <= 1, `file input ${fileInput?.width} px wide`);
    assert.ok(
      await page.evaluate<boolean, undefined>(
        'document.documentElement.scrollWidth <= innerWidth',
        undefined,
      ),
      'no sideways scrolling on a 360 px phone',
    );
    await screenshot(page, '24-phone-simulator-360');

    // Another number: nothing of the previous one's scan stays.
    await page.getByLabel('Số điện thoại').fill('0912 345 611');
    await page.getByRole('button', { name: 'Mở Zalo' }).click();
    await page.getByText('0912345611', { exact: true }).waitFor();
    assert.equal(await page.locator('#scan-result').innerText(), '');
    assert.equal(await page.locator('#browser').isVisible(), false);
    await page.getByText('Chưa có tin nhắn.').waitFor();
  });
});
