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
  const child = spawn(
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
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...o.env } },
  );
  // What it said last on stderr, for standaloneSandboxExit (read all along, so that the pipe never fills).
  let tail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
  });
  stderrTails.set(child, () => tail);
  return child;
}

const stderrTails = new WeakMap<ChildProcess, () => string>();

/**
 * Why a standalone sandbox is not answering, when the reason is that its process ended: its exit code or
 * signal and the end of its stderr (a port taken, a start-up error). Undefined while it runs.
 */
export function standaloneSandboxExit(child: ChildProcess): string | undefined {
  if (child.exitCode === null && child.signalCode === null) {
    return undefined;
  }
  return `the sandbox process ended (${child.exitCode ?? child.signalCode}): ${stderrTails.get(child)?.() ?? ''}`;
}
