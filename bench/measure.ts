import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { databaseUrl, withClient } from '../src/db/server.ts';

export interface Stats {
  p50: number;
  p99: number;
  mean: number;
  requestsPerSecond: number;
  errors: number;
  non2xx: number;
  count: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Times `fn` `count` times with `concurrency` in flight; latencies in ms. */
export async function timeCalls(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<Stats> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        try {
          await fn(i);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  if (errors > 0) {
    // A benchmark of failing calls measures nothing: stop and say why.
    throw new Error(`${errors} of ${count} calls failed`, { cause: firstError });
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    requestsPerSecond: count / seconds,
    errors,
    non2xx: 0,
    count,
  };
}

/** HTTP load with autocannon. */
export async function load(opts: autocannon.Options): Promise<Stats> {
  const result = await autocannon({ duration: 5, connections: 50, ...opts });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    requestsPerSecond: result.requests.average,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    count: result.requests.total,
  };
}

/** A fresh, empty database `name` on the server (dropped first if a run left it); returns its URL. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  await dropDatabase(adminUrl, name);
  await withClient(adminUrl, (c) => c.query(`create database ${name}`));
  return databaseUrl(adminUrl, name);
}

export function dropDatabase(adminUrl: string, name: string): Promise<unknown> {
  return withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/** One figure of `npm run bench`: the goal is reported, never asserted. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  goal?: string;
  met?: boolean;
  detail?: object;
}

/** Polls `url` until it answers 2xx (a server process starting up). */
export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url)
        .then((r) => r.ok)
        .catch(() => false)
    ) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** The demo desk officer's session cookie. */
export async function officerCookie(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'tiepnhan', password: 'MotCua@2026' }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) {
    throw new Error(`login failed: ${res.status}`);
  }
  return cookie;
}

/**
 * The product's web node in production mode on `databaseUrl`, for measurements from one address (the
 * per-address look-up limit lifted), and the bare Fastify hello server every figure is compared with.
 */
export function spawnWebAndHello(databaseUrl: string, appPort: number, helloPort: number): ChildProcess[] {
  return [
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=web'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(appPort),
        LOG_LEVEL: 'warn',
        DEMO_DATA: '0',
        NODE_ENV: 'production',
        SESSION_SECRET: randomBytes(32).toString('base64'),
        LOOKUP_LINK_SECRET: randomBytes(32).toString('base64'),
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        LOOKUP_PER_MINUTE_PER_IP: '1000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
    spawn(process.execPath, ['--import', 'tsx', 'bench/hello-server.ts', String(helloPort)], {
      stdio: 'ignore',
    }),
  ];
}
