import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserOrSkip, e2eSuite, login, screenshot } from './support.ts';

/** The citizen's look-up page at a phone's size, as Zalo's in-app browser opens it from the receipt QR. */
describe('look-up page /tra-cuu (Chromium, phone viewport)', () => {
  const { server, browser: launched } = e2eSuite({ LOOKUP_PER_MINUTE_PER_IP: '8' });

  const fitsTheScreen = (page: Page) =>
    page.evaluate<boolean, undefined>('document.documentElement.scrollWidth <= window.innerWidth', undefined);

  /** The text of the first `selector` up to each place where the browser wrapped it onto a new line. */
  const textBeforeEachLineBreak = (page: Page, selector: string) =>
    page.evaluate<string[], string>(
      `(() => {
        const element = document.querySelector(${JSON.stringify(selector)});
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        const breaks = [];
        let before = '';
        let lastTop;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.data.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const top = range.getBoundingClientRect().top;
            if (lastTop !== undefined && top > lastTop + 2) breaks.push(before);
            lastTop = top;
            before += node.data[i];
          }
        }
        return breaks;
      })()`,
      '',
    );

  it('shows the status by code, more with the QR link or the second factor, and 429 past the limit', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const browser = await launched();
    const officer = await (await browser.newContext()).newPage();
    await login(officer, server.baseUrl, 'tiepnhan');
    const intake = await officer.request.post(`${server.baseUrl}/api/dossiers`, {
      data: {
        procedureCode: '1.004873',
        applicant: { fullName: 'Lê Thị Hoa', idNumber: '044190005555', phone: '0912 345 678' },
        notifyByZalo: true,
      },
    });
    assert.equal(intake.status(), 201);
    const { code, lookupUrl } = (await intake.json()) as { code: string; lookupUrl: string };

    const page = await (
      await browser.newContext({
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
        locale: 'vi-VN',
      })
    ).newPage();

    // The receipt QR: the signed link shows the applicant's view at once.
    await page.goto(lookupUrl);
    await page.locator('#status', { hasText: 'Được tiếp nhận' }).waitFor();
    assert.ok(await page.getByText('Lê Thị Hoa').isVisible());
    await page.locator('#notifications').waitFor();
    assert.ok(await fitsTheScreen(page), 'no sideways scrolling on a 360 px phone');
    // The OA QR image loads (a JPEG the page may embed under its CSP).
    await page.waitForFunction(
      'document.querySelector(\'img[alt^="Mã QR Zalo OA"]\')?.naturalWidth > 100',
      undefined,
      { timeout: 5000 },
    );
    // The built-in sandbox has no real OA: "Quan tâm OA" opens the phone simulator, where its OA is.
    assert.equal(
      await page.getByRole('link', { name: 'Quan tâm OA' }).getAttribute('href'),
      `${server.baseUrl}/sandbox/phone`,
    );
    // A narrow screen breaks the code only after a dash, never inside a number the citizen compares.
    assert.deepEqual(
      (await textBeforeEachLineBreak(page, '.code')).filter((before) => !before.endsWith('-')),
      [],
    );
    await screenshot(page, '30-lookup-signed');

    // A link whose signature was altered says so, and shows only what the code alone shows.
    const tampered = lookupUrl.replace(/sig=(.)/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    await page.goto(tampered);
    await page.getByRole('alert').filter({ hasText: 'Đường dẫn tra cứu này không hợp lệ' }).waitFor();
    await page.locator('#status', { hasText: 'Được tiếp nhận' }).waitFor();
    assert.ok(!(await page.locator('body').innerText()).includes('Lê Thị Hoa'));
    assert.ok(await fitsTheScreen(page));
    await screenshot(page, '30-lookup-tampered');

    // By code alone, typed loosely: status and dates only.
    await page.goto(`${server.baseUrl}/tra-cuu`);
    await page.getByLabel('Mã hồ sơ').fill(code.toLowerCase().replaceAll('-', ' - '));
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.locator('#status', { hasText: 'Được tiếp nhận' }).waitFor();
    const publicText = await page.locator('body').innerText();
    for (const secret of ['Lê Thị Hoa', '0912', '345 678', '044190005555']) {
      assert.ok(!publicText.includes(secret), `the page by code alone shows ${secret}`);
    }
    assert.ok(publicText.includes(code));
    assert.ok(publicText.includes('Ngày hẹn trả'));
    assert.equal(await page.locator('#notifications').count(), 0);
    assert.ok(!page.url().includes('5678'), 'no personal data in the URL');
    await screenshot(page, '31-lookup-public');

    // A wrong second factor says so and shows nothing more; the right one shows the applicant's view.
    await page.getByLabel('Mã hồ sơ').fill(code);
    await page.getByLabel(/4 số cuối/).fill('0000');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('không khớp').waitFor();
    assert.ok(!(await page.locator('body').innerText()).includes('Lê Thị Hoa'));
    await page.getByLabel('Mã hồ sơ').fill(code);
    await page.getByLabel(/4 số cuối/).fill('5678');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('Đã xác minh người nộp hồ sơ').waitFor();
    assert.ok(await page.getByText('Lê Thị Hoa').isVisible());
    assert.ok(!page.url().includes('5678'));

    // Enumerating codes from one address hits the limit (8 a minute here). The window is fixed: if a new
    // minute starts during the loop, the count starts again, so allow for two windows' worth.
    let status = 200;
    for (let i = 0; i < 18 && status !== 429; i++) {
      const res = await page.goto(`${server.baseUrl}/tra-cuu/${code.replace(/\d{4}$/, String(1000 + i))}`);
      status = res?.status() ?? 0;
    }
    assert.equal(status, 429);
    await page.getByText('Bạn tra cứu quá nhiều lần').waitFor();
    await screenshot(page, '32-lookup-429');
  });
});
