import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_API_KEY } from '../../src/demo/demo-catalogue.ts';
import { refreshPublicStats } from '../../src/public-stats/refresh.ts';
import { ratingUrl } from '../../src/ratings/rules.ts';
import { browserOrSkip, e2eSuite, login, screenshot } from './support.ts';

/**
 * Issue 22 in a real Chromium: the rating page at 360 px as Zalo's in-app browser opens it from the
 * invitation, the leader answering the low rating in the officer app, and the public scoreboard /cong-khai.
 */
describe('rating page and public scoreboard (Chromium)', () => {
  const { server, browser: chromium } = e2eSuite();
  let code: string;

  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${path}: ${res.status} ${text}`);
    return JSON.parse(text) as { code: string };
  };
  const phone = async () =>
    (await chromium()).newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
  const fitsTheScreen = (page: Page) =>
    page.evaluate<boolean, undefined>('document.documentElement.scrollWidth <= window.innerWidth', undefined);

  it('lets the citizen rate at 360 px without login; a low rating reaches the leader, who answers', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    ({ code } = await api('/api/v1/dossiers', {
      procedureCode: '1.004873',
      applicant: { fullName: 'Lê Thị Hoa', idNumber: '044190005555', phone: '0912 345 678' },
      notifyByZalo: true,
    }));
    await api(`/api/v1/dossiers/${code}/transitions`, { to: 4 });
    await api(`/api/v1/dossiers/${code}/transitions`, { to: 9, resultSummary: 'Đã cấp giấy' });
    await api(`/api/v1/dossiers/${code}/transitions`, {
      to: 10,
      method: 'direct',
      receiverName: 'Lê Thị Hoa',
    });

    const page = await (await phone()).newPage();
    const link = ratingUrl(server.baseUrl, server.app.config.secrets.lookupLink, code);
    await page.goto(link);
    assert.equal(await page.locator('#code').textContent(), code);
    assert.ok(await fitsTheScreen(page), 'no sideways scrolling at 360 px');
    assert.ok(!(await page.content()).includes('Lê Thị Hoa'), 'nothing personal');
    // Sending without stars: the browser asks for them (required radio), nothing is recorded.
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    assert.equal(new URL(page.url()).pathname, `/danh-gia/${code}`);
    await page.locator('label[for="star-2"]').tap();
    await page.getByLabel('Phải đi lại nhiều lần').check();
    await page.getByLabel('Góp ý thêm (không bắt buộc)').fill('Phải đến <b>3 lần</b> mới xong');
    await screenshot(page, 'rating-page-360');
    await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
    await page.locator('#thanks').waitFor();
    assert.match((await page.locator('#thanks').textContent()) ?? '', /Đã ghi nhận đánh giá 2 sao/);
    assert.ok(await fitsTheScreen(page));

    // The leader of the province's desk sees it and answers.
    const officer = await (await (await chromium()).newContext()).newPage();
    await login(officer, server.baseUrl, 'lanhdao');
    await officer.goto(`${server.baseUrl}/danh-gia-thap`);
    const row = officer.getByTestId('follow-ups').getByRole('row').filter({ hasText: code });
    await row.waitFor();
    assert.ok((await row.textContent())?.includes('Phải đến <b>3 lần</b> mới xong'), 'the comment as text');
    await row.getByRole('button', { name: 'Trả lời' }).click();
    await officer.getByLabel(/Nội dung trả lời/).fill('Đã gọi điện xin lỗi người dân và nhắc nhở bộ phận.');
    await officer.getByRole('button', { name: 'Ghi nhận' }).click();
    await officer.getByText('Không có đánh giá nào chờ trả lời.').waitFor();
    await officer.goto(`${server.baseUrl}/ho-so/${encodeURIComponent(code)}`);
    const card = officer.getByTestId('dossier-rating');
    await card.getByText('Đã gọi điện xin lỗi người dân và nhắc nhở bộ phận.').waitFor();
    await screenshot(officer, 'rating-dossier-card');
  });

  it('shows stars on the simulated phone; the citizen’s Zalo rating arrives on the dossier', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const { code: zaloCode } = await api('/api/v1/dossiers', {
      procedureCode: '1.004873',
      applicant: { fullName: 'Trần Văn Bình', idNumber: '044190006666', phone: '0912 345 679' },
      notifyByZalo: true,
    });
    await api(`/api/v1/dossiers/${zaloCode}/transitions`, { to: 4 });
    await api(`/api/v1/dossiers/${zaloCode}/transitions`, { to: 9, resultSummary: 'Đã cấp giấy' });
    await api(`/api/v1/dossiers/${zaloCode}/transitions`, {
      to: 10,
      method: 'direct',
      receiverName: 'Trần Văn Bình',
    });
    const context = await (await chromium()).newContext({
      viewport: { width: 400, height: 860 },
    });
    const page = await context.newPage();
    await login(page, server.baseUrl, 'tiepnhan');
    await page.goto(`${server.baseUrl}/sandbox/phone?phone=0912345679`);
    // The worker sends the rating template; the simulated phone shows it with its stars.
    const rating = page.locator('.bubble .rating').last();
    await rating.waitFor({ timeout: 20_000 });
    await rating.locator('button.star[data-star="4"]').click();
    await rating.getByLabel('Đúng hẹn').check();
    await rating.locator('input.note').fill('Cán bộ nhiệt tình');
    await screenshot(page, 'sandbox-phone-rating');
    await rating.locator('button.rate-send').click();
    await page.locator('.bubble .rating .rated').last().waitFor();
    assert.match((await page.locator('.bubble .rating .rated').last().textContent()) ?? '', /★★★★☆/);
    // The user_feedback webhook is stored and processed by the worker: the rating is on the dossier.
    await page.goto(`${server.baseUrl}/ho-so/${encodeURIComponent(zaloCode)}`);
    const card = page.getByTestId('dossier-rating');
    await card
      .getByText('Qua Zalo')
      .waitFor({ timeout: 20_000 })
      .catch(async () => {
        await page.reload();
        await card.getByText('Qua Zalo').waitFor({ timeout: 20_000 });
      });
    assert.ok((await card.textContent())?.includes('Cán bộ nhiệt tình'));
    assert.ok((await card.textContent())?.includes('Đúng hẹn'));
  });

  it('shows /cong-khai on a phone: charts with tables beside them, nothing from elsewhere, no script', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    await refreshPublicStats(server.app, { full: true });
    const context = await phone();
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.baseUrl}/cong-khai`);
    await page.locator('#summary').waitFor();
    assert.ok(await fitsTheScreen(page), 'no sideways scrolling at 360 px');
    for (const id of ['chart-volume', 'chart-on-time', 'chart-stars']) {
      assert.ok(await page.locator(`#${id}`).isVisible(), id);
    }
    assert.equal(await page.locator('script').count(), 0);
    assert.ok(
      requests.every((u) => u.startsWith(server.baseUrl)),
      requests.join(' '),
    );
    const agencies = page.locator('#table-agencies tbody tr');
    assert.ok((await agencies.count()) >= 1);
    await screenshot(page, 'cong-khai-360');
    // An agency of its own, chosen with the form.
    const first = await page.locator('select[name="agency"] option').nth(1).getAttribute('value');
    await page.locator('select[name="agency"]').selectOption(first!);
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL((u) => u.searchParams.get('agency') === first);
    await page.locator('#summary').waitFor();
    assert.equal(await page.locator('#table-agencies').count(), 0);
    const csv = await page.locator('#open-csv').getAttribute('href');
    const res = await fetch(`${server.baseUrl}${csv}`);
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
    assert.match(bytes.subarray(3).toString('utf8'), /^period,agency_code/);
  });
});
