import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const linux = process.platform === 'linux';

/** Runs giveWayToWebNodes(nice) in a fresh process started at `startNice`; the niceness of each of its threads. */
async function threadNicenessAfter(nice: number, startNice: number): Promise<number[]> {
  const script = `
    import { readdirSync, readFileSync } from 'node:fs';
    const { giveWayToWebNodes } = await import(${JSON.stringify(new URL('./worker-priority.ts', import.meta.url).href)});
    const { createLogger } = await import(${JSON.stringify(new URL('../logger.ts', import.meta.url).href)});
    giveWayToWebNodes(${nice}, createLogger('silent'));
    const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
    process.stdout.write(JSON.stringify(readdirSync('/proc/self/task').map(nice)));`;
  const { stdout } = await promisify(execFile)('nice', [
    '-n',
    String(startNice),
    process.execPath,
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    script,
  ]);
  return JSON.parse(stdout) as number[];
}

test('a worker node lowers every thread to WORKER_NICE', { skip: !linux }, async () => {
  const threads = await threadNicenessAfter(7, 0);
  assert.ok(threads.length > 1, 'Node runs several threads: each has its own niceness on Linux');
  assert.deepEqual(new Set(threads), new Set([7]));
});

test('a worker node never raises its priority', { skip: !linux }, async () => {
  assert.deepEqual(new Set(await threadNicenessAfter(7, 12)), new Set([12]));
});
