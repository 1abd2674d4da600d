import type { FastifyInstance, RouteOptions } from 'fastify';
import { type AppContext, createAppContext } from '../app-context.ts';
import { loadConfig } from '../config.ts';
import { freePort } from '../db/embedded.ts';
import { buildServer } from '../http/server.ts';
import { createLogger, type Logger } from '../logger.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/**
 * A clock tests can set and move. A running clock also moves with real time from where it was set: tests that
 * talk to the sandbox over real HTTP compare our times with its real ones.
 */
export class TestClock {
  private setAt = Date.now();
  constructor(
    private current: Date,
    private readonly running = false,
  ) {}
  now = (): Date => new Date(this.current.getTime() + (this.running ? Date.now() - this.setAt : 0));
  set(instant: Date | string): void {
    this.current = new Date(instant);
    this.setAt = Date.now();
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestApp {
  app: AppContext;
  server: FastifyInstance;
  clock: TestClock;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real server on a fresh database, with a controllable clock. Drive it with `server.inject`.
 * Default time: Monday 09/03/2026 09:00 in Vietnam.
 */
export async function createTestApp(
  opts: {
    now?: string;
    env?: Record<string, string>;
    listen?: boolean;
    realTime?: boolean;
    /** Where the app logs (silent by default), for tests that read the log lines. */
    logger?: Logger;
    /** Sees every route as the server adds it. */
    onRoute?: (route: RouteOptions) => void;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  // Listening for real lets the in-process Zalo sandbox call back into the server (webhooks, loopback URLs).
  const port = opts.listen ? await freePort(20000 + (process.pid % 20000)) : 3000;
  const clock = opts.realTime
    ? new TestClock(new Date(), true)
    : new TestClock(new Date(opts.now ?? '2026-03-09T09:00:00+07:00'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    PUBLIC_BASE_URL: 'https://motcua.test',
    LOG_LEVEL: 'silent',
    PORT: String(port),
    ...opts.env,
  });
  const app: AppContext = {
    ...createAppContext(db.db, config, opts.logger ?? createLogger('silent'), clock.now),
    // The middle of every jitter's spread: a retry comes exactly after its policy's wait.
    random: () => 0.5,
  };
  const server = await buildServer(app, { onRoute: opts.onRoute });
  if (opts.listen) {
    await server.listen({ port, host: '127.0.0.1' });
  }
  return {
    app,
    server,
    clock,
    db,
    async close() {
      await server.close();
      await db.drop();
    },
  };
}

/** Logs in through the real route and returns the Cookie header to send. */
export async function loginCookie(
  server: FastifyInstance,
  username: string,
  password: string,
): Promise<string> {
  const res = await server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200) {
    throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  }
  const cookie = res.cookies.find((c) => c.name === 'motcua_session');
  if (!cookie) {
    throw new Error('no session cookie');
  }
  return `${cookie.name}=${cookie.value}`;
}
