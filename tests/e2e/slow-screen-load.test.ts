import { describe, it } from 'node:test';
import { browserOrSkip, e2eSuite } from './support.ts';

/**
 * Screens load their code when first opened (web/src/router.tsx). On a slow connection the officer must see
 * that something is coming, never a blank page: the screen being left stays in view under "Đang tải…".
 * The list screen's code is held back by the test until the spinner has been seen, then let through.
 */
describe('a screen whose code is slow to arrive (Chromium)', () => {
  const { newPage } = e2eSuite();

  it('keeps the intake screen in view under a spinner until the dossier list is there', async (t) => {
    if (!browserOrSkip(t)) {
      return;
    }
    const page = await newPage({ username: 'tiepnhan' });
    await page.waitForURL(/\/tiep-nhan$/);
    await page.getByRole('combobox', { name: 'Thủ tục hành chính' }).waitFor();

    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/assets\/DossierListPage-[^/]+\.js$/, async (route) => {
      await released;
      await route.continue();
    });
    await page.getByRole('link', { name: 'Danh sách hồ sơ' }).click();
    await page.getByText('Đang tải…').waitFor();
    // Still the intake form under the spinner, not an empty frame.
    await page.getByRole('combobox', { name: 'Thủ tục hành chính' }).waitFor();
    release();
    await page.waitForURL(/\/ho-so$/);
    await page.locator('.ant-card-head-title').getByText('Danh sách hồ sơ').waitFor();
    await page.getByText('Đang tải…').waitFor({ state: 'hidden' });
    await page.context().close();
  });
});
