import { existsSync } from 'node:fs';
import { CHROMIUM, launchBrowser } from '../tests/e2e/support.ts';

/** Opens the intake screen in Chromium with a cold cache: time until the procedure list is usable, JS size. */
export async function measureIntakeScreen(base: string, cookie: string) {
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`(browser figures skipped: ${CHROMIUM} not found)\n`);
    return undefined;
  }
  const browser = await launchBrowser();
  try {
    const runs: number[] = [];
    let scriptBytes = 0;
    let scripts = 0;
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext();
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: base }]);
      const page = await context.newPage();
      const sizes: Promise<number>[] = [];
      page.on('requestfinished', (request) => {
        if (request.resourceType() === 'script') {
          sizes.push(request.sizes().then((s) => s.responseBodySize));
        }
      });
      const started = performance.now();
      await page.goto(`${base}/tiep-nhan`);
      await page.locator('.ant-select:not(.ant-select-disabled) input[role="combobox"]').waitFor();
      await page.waitForFunction('document.activeElement?.getAttribute("role") === "combobox"');
      runs.push(performance.now() - started);
      const all = await Promise.all(sizes);
      scriptBytes = all.reduce((a, b) => a + b, 0);
      scripts = all.length;
      await context.close();
    }
    runs.sort((a, b) => a - b);
    return { interactiveMs: runs[Math.floor(runs.length / 2)]!, scriptKb: scriptBytes / 1024, scripts };
  } finally {
    await browser.close();
  }
}
