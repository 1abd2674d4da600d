/**
 * `npx tsx bench/browser-only.ts [--runs 7] [--dossiers 1000] [--keep]`: just the cold intake screen (needs
 * DATABASE_URL), with what `npm run bench` reports plus the detail needed to work on it: every run's time,
 * each script and stylesheet loaded before the screen is usable (raw, gzip and brotli bytes, as built) and the
 * main thread's script time. The machine may be shared: read the times as a range, the bytes as the figure.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuild } from '../scripts/build.js';
import { CHROMIUM, launchBrowser } from '../tests/e2e/support.ts';
import { measureIntakeScreen } from './browser.ts';
import { officerCookie } from './measure.ts';
import { onSeededWeb } from './setup.ts';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'motcua_bench_browser' },
    dossiers: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
ensureBuild();
const DIST = path.resolve(import.meta.dirname, '../web/dist');
const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const kb = (n: number) => (n / 1024).toFixed(1);

await onSeededWeb(
  { database: values.database, dossiers: Number(values.dossiers), keep: values.keep, firstPort: 3400 },
  async ({ base }) => {
    const cookie = await officerCookie(base);
    const figures = await measureIntakeScreen(base, cookie);
    if (figures) {
      process.stdout.write(
        `bench figures: interactive ${figures.interactiveMs.toFixed(0)} ms (median of 5), ` +
          `scripts ${figures.scripts}, ${figures.scriptKb.toFixed(1)} kB as transferred\n`,
      );
    }
    if (existsSync(CHROMIUM)) {
      await detail(base, cookie, Number(values.runs));
    }
  },
);
process.exit(0);

/** Runs the cold load `runs` times and prints the times, the script time and the assets of the last run. */
async function detail(base: string, cookie: string, runs: number) {
  const browser = await launchBrowser();
  try {
    const times: number[] = [];
    const scriptMs: number[] = [];
    let assets: { url: string; type: string; transferred: number }[] = [];
    let requests = 0;
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: base }]);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const seen: Promise<{ url: string; type: string; transferred: number }>[] = [];
      let count = 0;
      page.on('requestfinished', (request) => {
        count++;
        const type = request.resourceType();
        if (type === 'script' || type === 'stylesheet' || type === 'font') {
          seen.push(
            request.sizes().then((s) => ({ url: request.url(), type, transferred: s.responseBodySize })),
          );
        }
      });
      const started = performance.now();
      await page.goto(`${base}/tiep-nhan`);
      await page.locator('.ant-select:not(.ant-select-disabled) input[role="combobox"]').waitFor();
      await page.waitForFunction('document.activeElement?.getAttribute("role") === "combobox"');
      times.push(performance.now() - started);
      if (i === runs - 1) {
        // Where the time goes: when each request started and ended after the navigation began.
        const entries = (await page.evaluate(
          `[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => [e.name, e.startTime, e.responseEnd]).concat([['(usable)', performance.now(), performance.now()]])`,
        )) as [string, number, number][];
        for (const [url, start, end] of entries) {
          process.stdout.write(
            `  ${start.toFixed(0).padStart(5)}–${end.toFixed(0).padStart(5)} ms  ${url.replace(base, '')}\n`,
          );
        }
      }
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      scriptMs.push((metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0) * 1000);
      requests = count;
      assets = await Promise.all(seen);
      await context.close();
    }
    const range = (xs: number[]) =>
      `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms (median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0)})`;
    process.stdout.write(`interactive: ${range(times)}; runs ${times.map((t) => t.toFixed(0)).join(', ')}\n`);
    process.stdout.write(`main-thread script time: ${range(scriptMs)}\n`);
    const totals = { script: [0, 0, 0, 0], stylesheet: [0, 0, 0, 0], font: [0, 0, 0, 0] } as Record<
      string,
      number[]
    >;
    for (const a of assets.sort((x, y) => x.type.localeCompare(y.type) || x.url.localeCompare(y.url))) {
      const file = path.join(DIST, new URL(a.url).pathname);
      const [raw, gz, br] = [size(file), size(`${file}.gz`), size(`${file}.br`)];
      const t = totals[a.type]!;
      t[0]! += raw;
      t[1]! += gz;
      t[2]! += br;
      t[3]! += 1;
      process.stdout.write(
        `  ${a.type.padEnd(10)} ${path.basename(file).padEnd(44)} raw ${kb(raw).padStart(7)} gz ${kb(gz).padStart(6)} br ${kb(br).padStart(6)} sent ${kb(a.transferred).padStart(6)} kB\n`,
      );
    }
    for (const [type, [raw, gz, br, n]] of Object.entries(totals)) {
      process.stdout.write(
        `${type}: ${n} files, raw ${kb(raw!)} kB, gzip ${kb(gz!)} kB, brotli ${kb(br!)} kB\n`,
      );
    }
    process.stdout.write(`requests until usable (last run): ${requests}\n`);
  } finally {
    await browser.close();
  }
}
