import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createAppCaches } from '../../src/app-caches.ts';
import type { AppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config.ts';
import { freePort } from '../../src/db/embedded.ts';
import { loadDemoData } from '../../src/demo/load-demo.ts';
import { buildServer } from '../../src/http/server.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase } from '../../src/test-support/database.ts';
import { bootstrapZalo } from '../../src/zalo/bootstrap.ts';

/** Debian's Chromium; browser tests skip without it unless REQUIRE_E2E=1 (CI), where that is a failure. */
export const CHROMIUM = '/usr/bin/chromium';
// Test-only switch, read here rather than in the product's config.
const REQUIRE_E2E = process.env.REQUIRE_E2E === '1';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results');

/** Skips the test (saying why) when Chromium is missing, or fails it when CI requires browser tests. */
export function browserOrSkip(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) {
    return true;
  }
  if (REQUIRE_E2E) {
    throw new Error(`REQUIRE_E2E=1 but ${CHROMIUM} is missing: install Debian's chromium package`);
  }
  t.skip(`browser test skipped: ${CHROMIUM} not found (apt-get install chromium)`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface E2eServer {
  baseUrl: string;
  app: AppContext;
  close(): Promise<void>;
}

/**
 * The real server (API + built officer app) on a fresh database with the demo province loaded. `now` sets
 * the server's clock, which then runs on from there (dates in the tests stay true whatever day they run).
 */
export async function startE2eServer(
  env: Record<string, string> = {},
  opts: { now?: string } = {},
): Promise<E2eServer> {
  const db = await createTestDatabase();
  const port = await freePort(30000 + (process.pid % 20000));
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    ...env,
  });
  const offset = opts.now ? Date.parse(opts.now) - Date.now() : 0;
  const app: AppContext = {
    db: db.db,
    config,
    logger: createLogger('silent'),
    clock: () => new Date(Date.now() + offset),
    caches: createAppCaches(),
  };
  await loadDemoData(app);
  const server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  await bootstrapZalo(app, server.zaloSandbox);
  if (server.zaloSandbox) {
    server.zaloSandbox.state.options.receiptDelayMs = 200;
  }
  const worker = await startWorker(app, db.pool);
  return {
    baseUrl,
    app,
    async close() {
      await worker.stop();
      await server.close();
      await db.drop();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function login(
  page: Page,
  baseUrl: string,
  username: string,
  password = 'MotCua@2026',
): Promise<void> {
  await page.goto(`${baseUrl}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/dang-nhap'));
}
