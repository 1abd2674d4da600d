import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { WORKER_LANES } from '../../src/app-background.ts';
import { type AppContext, createAppContext } from '../../src/app-context.ts';
import { startZalo } from '../../src/app-zalo.ts';
import { loadConfig } from '../../src/config.ts';
import { freePort } from '../../src/db/embedded.ts';
import { loadDemoData } from '../../src/demo/load-demo.ts';
import { buildServer } from '../../src/http/server.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase } from '../../src/test-support/database.ts';

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

/**
 * Chromium does not load pages under libfaketime (docs/testing.md, "at a given hour"): when the run is faked,
 * the browser keeps the real clock and only Node and PostgreSQL run at the chosen hour.
 */
function browserEnv(): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  if (env.LD_PRELOAD?.includes('faketime')) {
    delete env.LD_PRELOAD;
  }
  return env;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: browserEnv(),
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
  const app = createAppContext(db.db, config, createLogger('silent'), () => new Date(Date.now() + offset));
  await loadDemoData(app);
  const server = await buildServer(app);
  await server.listen({ port, host: '127.0.0.1' });
  await startZalo(app, server.zaloSandbox);
  if (server.zaloSandbox) {
    server.zaloSandbox.state.options.receiptDelayMs = 200;
  }
  const worker = await startWorker(app, db.pool, WORKER_LANES);
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

/** A desk officer's screen, in Vietnamese: the browser context most pages are tested in. */
export const DESK_CONTEXT: BrowserContextOptions = {
  locale: 'vi-VN',
  viewport: { width: 1366, height: 900 },
};

/** A describe block's server and browser (see `e2eSuite`). */
export interface E2eSuite {
  /** The suite's server: its fields can be read once the suite's `before` hook has started it. */
  server: E2eServer;
  /** The suite's one browser, launched on first use. */
  browser(): Promise<Browser>;
  /**
   * A page in a context of its own (`DESK_CONTEXT` with `options` over it), signed in as `username` when
   * given.
   */
  newPage(options?: BrowserContextOptions & { username?: string }): Promise<Page>;
}

/**
 * Registers, in the calling describe block, the hooks that start `startE2eServer(env, opts)` before its tests
 * and close the browser and the server after them (`beforeClose` first, with the server still up).
 */
export function e2eSuite(
  env: Record<string, string> = {},
  opts: { now?: string; beforeClose?: (server: E2eServer) => Promise<void> } = {},
): E2eSuite {
  let started: E2eServer | undefined;
  let browser: Browser | undefined;
  const running = (): E2eServer => {
    if (!started) {
      throw new Error("the e2e server is started by the suite's before hook");
    }
    return started;
  };
  before(async () => {
    started = await startE2eServer(env, opts.now ? { now: opts.now } : {});
  });
  after(async () => {
    await browser?.close();
    if (started) {
      await opts.beforeClose?.(started);
      await started.close();
    }
  });
  const launched = async (): Promise<Browser> => {
    browser ??= await launchBrowser();
    return browser;
  };
  return {
    server: {
      get baseUrl() {
        return running().baseUrl;
      },
      get app() {
        return running().app;
      },
      close: () => running().close(),
    },
    browser: launched,
    async newPage({ username, ...options } = {}) {
      const context = await (await launched()).newContext({ ...DESK_CONTEXT, ...options });
      const page = await context.newPage();
      if (username) {
        await login(page, running().baseUrl, username);
      }
      return page;
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
