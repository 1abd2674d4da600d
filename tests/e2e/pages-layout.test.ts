import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ConsoleMessage, Locator, Page } from 'playwright-core';
import { DEMO_API_KEY } from '../../src/demo/demo-catalogue.ts';
import { browserOrSkip, e2eSuite, login, screenshot } from './support.ts';

/**
 * Every screen, opened directly as a bookmark would, at the size it is used at: officer screens at 1366 px
 * (a desk PC), citizen pages at 360 px (a phone). None may scroll sideways, log an error or a warning in the
 * console, show English words or codes meant for programs, or write a date other than dd/MM/yyyy. Each is
 * saved as a screenshot under test-results/layout-*.png.
 */
describe('every page fits its screen, in Vietnamese (Chromium)', () => {
  const { server, browser } = e2eSuite();
  let code = '';
  let lookupUrl = '';

  before(async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/dossiers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        procedureCode: '1.004873',
        notifyByZalo: true,
        applicant: {
          fullName: 'Tôn Nữ Thị Phương Thảo Nguyên',
          idNumber: '044190001234',
          phone: '0912 345 678',
          address: 'Thôn Đông Thành, xã Cam Hiếu, tỉnh Quảng Trị',
        },
      }),
    });
    const body = await res.text();
    assert.equal(res.status, 201, body);
    ({ code, lookupUrl } = JSON.parse(body) as { code: string; lookupUrl: string });
    // An email the built-in mail catcher received on a day before the 10th (once shown as "7/12/2026").
    await server.app.db
      .insertInto('sandbox_mail')
      .values({
        message_id: null,
        mail_from: 'khong-tra-loi@motcua.local',
        rcpt_to: ['nguyen.an@example.vn'],
        subject: `Hồ sơ ${code}: Được tiếp nhận`,
        text_body: 'Kính gửi ông/bà Nguyễn Văn An,',
        html_body: null,
        size: 100,
        received_at: new Date('2026-12-07T22:50:55+07:00'),
      })
      .execute();
  });
  /** Words and codes that must not reach a screen (technical detail belongs in tooltips). */
  const NOT_FOR_PEOPLE = [
    'Template ID',
    'status.5',
    'action.request_supplement',
    'p50',
    'p95',
    'p99',
    'Official Account',
    'user_send_image',
    'ENABLE',
    'PENDING_REVIEW',
    'delivered',
    'undefined',
    'NaN',
    'Invalid Date',
  ];

  const newPage = async (width: number, problems: string[]) => {
    const context = await (await browser()).newContext({
      locale: 'vi-VN',
      viewport: { width, height: width > 500 ? 900 : 740 },
      isMobile: width <= 500,
    });
    const page = await context.newPage();
    page.on('console', (m: ConsoleMessage) => {
      // A page that answers 404 on purpose (a code that does not exist) is logged as a failed load of the
      // document itself: that is its status, not a fault of the page.
      const ownStatus = m.text().startsWith('Failed to load resource') && m.location().url === page.url();
      if ((m.type() === 'error' || m.type() === 'warning') && !ownStatus) {
        problems.push(`console ${m.type()} on ${page.url()}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    return page;
  };

  /** Checks the page as it stands; returns what is wrong with it. */
  const inspect = async (page: Page, name: string): Promise<string[]> => {
    await screenshot(page, `layout-${name}`);
    const found: string[] = [];
    const { scrollWidth, clientWidth } = await page.evaluate<
      { scrollWidth: number; clientWidth: number },
      undefined
    >(
      '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
      undefined,
    );
    if (scrollWidth > clientWidth) {
      found.push(`${name}: ${scrollWidth} px wide in a ${clientWidth} px window`);
    }
    const text = await page.locator('body').innerText();
    for (const word of NOT_FOR_PEOPLE) {
      if (text.includes(word)) {
        found.push(`${name}: shows "${word}"`);
      }
    }
    for (const date of text.match(/(?<![\d/.-])(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})(?![\d/])/g) ??
      []) {
      if (!/^\d{2}\/\d{2}\/\d{4}$/.test(date)) {
        found.push(`${name}: date written ${date}`);
      }
    }
    return found;
  };

  const visit = async (page: Page, name: string, path: string, ready: (page: Page) => Locator) => {
    await page.goto(`${server.baseUrl}${path}`);
    await ready(page).first().waitFor();
    // What loads after the first paint (lists, charts, counters) is part of the page too.
    await page.waitForLoadState('networkidle');
    return inspect(page, name);
  };

  it('officer screens at 1366 px', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const problems: string[] = [];
    const page = await newPage(1366, problems);
    await page.goto(`${server.baseUrl}/dang-nhap`);
    await page.getByLabel('Tên đăng nhập').waitFor();
    problems.push(...(await inspect(page, 'dang-nhap')));
    await login(page, server.baseUrl, 'quantri');
    const screens: [string, string, (p: Page) => Locator][] = [
      ['tiep-nhan', '/tiep-nhan', (p) => p.getByRole('combobox', { name: 'Thủ tục hành chính' })],
      ['ho-so', '/ho-so', (p) => p.getByRole('link', { name: code })],
      ['ho-so-chi-tiet', `/ho-so/${code}`, (p) => p.getByTestId('notifications')],
      ['tong-quan', '/tong-quan', (p) => p.getByTestId('by-status')],
      ['lich', '/lich', (p) => p.getByText('Tháng 12')],
      ['thu-tuc', '/thu-tuc', (p) => p.getByText('Đăng ký khai sinh')],
      ['quan-tri', '/quan-tri', (p) => p.getByText('donghoi.tiepnhan')],
      ['zalo', '/zalo', (p) => p.getByText('Mọi trạng thái (mặc định)')],
      ['thong-bao', '/thong-bao', (p) => p.getByText('Tin nhắn chờ quá 10 phút')],
      ['gui-thay-the', '/gui-thay-the', (p) => p.getByText('Giờ yên lặng', { exact: false })],
      ['huong-dan', '/huong-dan', (p) => p.getByText('TRA CỨU HỒ SƠ THỦ TỤC HÀNH CHÍNH QUA ZALO')],
      ['tai-khoan', '/tai-khoan', (p) => p.getByRole('button').first()],
      ['khong-tim-thay', '/khong-co-trang-nay', (p) => p.getByRole('button').first()],
      ['sandbox-phone', '/sandbox/phone?phone=0912345678', (p) => p.locator('.bubble').first()],
      ['sandbox-admin', '/sandbox/admin', (p) => p.locator('td', { hasText: 'zbs.message.template' })],
      ['sandbox-mail', '/sandbox/mail', (p) => p.getByText('22:50:55 07/12/2026')],
    ];
    for (const [name, path, ready] of screens) {
      problems.push(...(await visit(page, name, path, ready)));
    }
    // The other tabs of the administration screen.
    await page.goto(`${server.baseUrl}/quan-tri`);
    for (const tab of ['Khóa API tích hợp', 'Nhật ký hệ thống']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('tabpanel', { name: tab }).locator('tbody tr.ant-table-row').first().waitFor();
      await page.waitForLoadState('networkidle');
      problems.push(...(await inspect(page, `quan-tri-${tab}`)));
    }
    // The template preview of a dossier, as the administrator reads it.
    await page.goto(`${server.baseUrl}/zalo`);
    await page.getByLabel('Mã hồ sơ để xem trước').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Xem trước tin nhắn' }).click();
    await page.getByTestId('template-preview').getByText('Được tiếp nhận').waitFor();
    problems.push(...(await inspect(page, 'zalo-xem-truoc')));
    assert.deepEqual(problems, []);
  });

  it('citizen pages at 360 px', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const problems: string[] = [];
    const page = await newPage(360, problems);
    const status = (p: Page) => p.locator('#status');
    const tampered = lookupUrl.replace(/sig=(.)/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    const pages: [string, string, (p: Page) => Locator][] = [
      ['tra-cuu', '/tra-cuu', (p) => p.getByLabel('Mã hồ sơ')],
      ['tra-cuu-ma', `/tra-cuu/${code}`, status],
      ['tra-cuu-qr', new URL(lookupUrl).pathname + new URL(lookupUrl).search, status],
      [
        'tra-cuu-sai-chu-ky',
        new URL(tampered).pathname + new URL(tampered).search,
        (p) => p.getByRole('alert'),
      ],
      ['tra-cuu-khong-thay', `/tra-cuu/${code.replace(/\d{4}$/, '9999')}`, (p) => p.getByRole('alert')],
    ];
    for (const [name, path, ready] of pages) {
      problems.push(...(await visit(page, name, path, ready)));
    }
    await page.goto(`${server.baseUrl}/tra-cuu`);
    await page.getByLabel('Mã hồ sơ').fill(code);
    await page.getByLabel(/4 số cuối/).fill('5678');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('Đã xác minh người nộp hồ sơ').waitFor();
    problems.push(...(await inspect(page, 'tra-cuu-xac-minh')));
    // The citizen's Zalo, in the phone simulator, with everything open.
    await login(page, server.baseUrl, 'tiepnhan');
    problems.push(
      ...(await visit(page, 'dien-thoai', '/sandbox/phone?phone=0912345678', (p) => p.locator('.bubble'))),
    );
    await page.getByText('Quét mã QR', { exact: true }).click();
    problems.push(...(await inspect(page, 'dien-thoai-quet-qr')));
    assert.deepEqual(problems, []);
  });
});
