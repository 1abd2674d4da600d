import { type ChildProcess, spawn } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The standalone entry beside this file: compiled JavaScript in dist/, TypeScript (through tsx) in src/. */
const ENTRY = import.meta.url.endsWith('.js')
  ? [new URL('./standalone.js', import.meta.url).pathname]
  : ['--import', 'tsx', new URL('./standalone.ts', import.meta.url).pathname];

/**
 * Starts the standalone sandbox (`npm run zalo-sandbox`) as its own process, as several app nodes share it;
 * for benchmarks and multi-process tests. Point the product at it with `standaloneSandboxEnv`.
 */
export function spawnStandaloneSandbox(o: {
  port: number;
  webhookUrl: string;
  receiptDelayMs: number;
  timeScale?: number;
  /** Added to this process's environment (e.g. NODE_EXTRA_CA_CERTS for a webhook URL on a test CA). */
  env?: Record<string, string>;
  /** Keys of its own instead of the published sandbox keys (which production-mode nodes refuse). */
  credentials?: { appId: string; appSecret: string; oaId: string; oaSecretKey: string };
}): ChildProcess {
  const c = o.credentials;
  return spawn(
    process.execPath,
    [
      ...ENTRY,
      '--port',
      String(o.port),
      '--webhook-url',
      o.webhookUrl,
      '--receipt-delay',
      String(o.receiptDelayMs),
      ...(o.timeScale === undefined ? [] : ['--time-scale', String(o.timeScale)]),
      ...(c
        ? [
            '--app-id',
            c.appId,
            '--app-secret',
            c.appSecret,
            '--oa-id',
            c.oaId,
            '--oa-secret-key',
            c.oaSecretKey,
          ]
        : []),
    ],
    { cwd: ROOT, stdio: 'ignore', env: { ...process.env, ...o.env } },
  );
}
