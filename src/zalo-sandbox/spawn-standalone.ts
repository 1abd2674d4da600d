import { type ChildProcess, spawn } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * Starts the standalone sandbox (`npm run zalo-sandbox`) as its own process, as several app nodes share it;
 * for benchmarks and multi-process tests. Point the product at it with `standaloneSandboxEnv`.
 */
export function spawnStandaloneSandbox(o: {
  port: number;
  webhookUrl: string;
  receiptDelayMs: number;
  timeScale?: number;
}): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/zalo-sandbox/standalone.ts',
      '--port',
      String(o.port),
      '--webhook-url',
      o.webhookUrl,
      '--receipt-delay',
      String(o.receiptDelayMs),
      ...(o.timeScale === undefined ? [] : ['--time-scale', String(o.timeScale)]),
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
}
